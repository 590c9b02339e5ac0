// Background jobs and their runs (GET /api/v1/jobs, /api/v1/job-runs). Not yet in the generated
// schema: these follow the runtime's contract until openapi.json describes them.

export const JOB_RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'dead'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

export interface JobProgress {
  done: number;
  total: number | null;
  rate_per_second: number | null;
  eta_seconds: number | null;
  updated_at: string;
}

export interface JobRun {
  id: number;
  job_key: string;
  scheduled_for: string;
  /** Who ran it now; empty for a scheduled run. */
  requested_by: string;
  status: JobRunStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string;
  progress: JobProgress | null;
}

export interface Job {
  key: string;
  label: string;
  /** The cron expression, "0 9 * * *". */
  schedule: string;
  /** The schedule as a reader says it, "每天 09:00". */
  schedule_label: string;
  catch_up: 'once' | 'every';
  working_days_only: boolean;
  next_fire_at: string | null;
  last_run: JobRun | null;
}

export interface JobRunFilters {
  job_key?: string;
  status?: JobRunStatus;
}
