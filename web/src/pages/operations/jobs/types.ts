// Background jobs and their runs (GET /api/v1/jobs, /api/v1/job-runs): the generated API types
// under the page's names.
import type { components } from '../../../api/schema';

type S = components['schemas'];

export const JOB_RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'dead'] as const satisfies readonly S['JobRun']['status'][];
export type JobRunStatus = S['JobRun']['status'];

/** A run's progress; requested_by is who ran it now (manual), empty for a scheduled run. */
export type JobRun = S['JobRun'];
export type JobProgress = NonNullable<JobRun['progress']>;
/** schedule is the cron expression ("0 9 * * *"), schedule_label the words for it ("每天 09:00"). */
export type Job = S['Job'];

export interface JobRunFilters {
  job_key?: string;
  status?: JobRunStatus;
}
