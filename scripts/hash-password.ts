// `npm run hash-password`: reads a password on stdin, prints the hash LOGPOND_AUTH_USERS wants:
//   printf '%s' 'correct horse' | npm run --silent hash-password
// then LOGPOND_AUTH_USERS="alice:<that>" (several users: separated by spaces or newlines).
import { hashPassword } from '../server/auth/passwords';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
if (password.length < 8) {
  console.error('hash-password: give a password of at least 8 characters on stdin');
  process.exit(1);
}
console.log(await hashPassword(password));
