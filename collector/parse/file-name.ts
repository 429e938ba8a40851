// Who wrote a log file, from its name alone. The kubelet names the files in /var/log/containers
// `<pod>_<namespace>_<container>-<containerId>.log`: pod names may hold dots and hyphens,
// container names hyphens, and none of the three holds `_`, so the id is after the LAST hyphen.
import path from 'node:path';

export interface LogFileIdentity {
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
  /** False when the name is not the kubelet's pattern and the fields are a best effort. */
  recognized: boolean;
}

const KUBELET_NAME = /^([^_]+)_([^_]+)_([^_]+)-([^-_]+)\.log$/;
const UNKNOWN = 'unknown';

/** Never throws: a name that does not match yields namespace `unknown` and the base name as pod. */
export function parseLogFileName(fileOrPath: string): LogFileIdentity {
  const name = path.basename(fileOrPath);
  const match = KUBELET_NAME.exec(name);
  if (match) {
    const [, pod, namespace, container, containerId] = match;
    return { namespace, pod, container, containerId, recognized: true };
  }
  return {
    namespace: UNKNOWN,
    pod: name.replace(/\.log$/, '') || name,
    container: UNKNOWN,
    containerId: '',
    recognized: false,
  };
}
