import { jsonReadRoute } from '../read-route';

export const dynamic = 'force-dynamic';

export const GET = jsonReadRoute((reads, params, signal) => reads.patterns(params, signal));
