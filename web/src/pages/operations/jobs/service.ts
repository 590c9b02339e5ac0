import type { TFunction } from 'i18next';
import { http } from '../../../api/request';
import type { Page } from '../../../api/types';
import type { Job, JobProgress, JobRun, JobRunFilters } from './types';

const PAGE_SIZE = 50;
/** How often the runs are fetched again while one of them is queued or running. */
export const RUNNING_REFETCH_MS = 2000;

export const listJobs = () => http.get<{ items: Job[] }>('/api/v1/jobs');
export const listJobRuns = (f: JobRunFilters, cursor?: string) =>
  http.get<Page<JobRun>>('/api/v1/job-runs', { job_key: f.job_key, status: f.status, limit: PAGE_SIZE, cursor });
/** Runs the job now (202): the run is queued and the list shows it. */
export const runJob = (key: string) => http.post<JobRun>(`/api/v1/jobs/${encodeURIComponent(key)}/run`, {});

/**
 * Every 2 s while a listed run is queued (pending: the worker takes it within moments, a run
 * asked for now among them) or running; not at all otherwise, a failed run's retry included.
 */
export function runsRefetchInterval(runs: readonly Pick<JobRun, 'status'>[]): number | false {
  return runs.some((r) => r.status === 'pending' || r.status === 'running') ? RUNNING_REFETCH_MS : false;
}

/** How far a run has got, 0–100, when it knows its total. */
export function progressPercent(p: Pick<JobProgress, 'done' | 'total'>): number | undefined {
  if (p.total === null || p.total === undefined || p.total <= 0) return undefined;
  return Math.min(100, Math.floor((p.done / p.total) * 100));
}

/** A span of time as a reader says it: "850 毫秒", "12.3 秒", "3 分 5 秒", "2 小时 5 分". */
export function durationText(ms: number | null | undefined, t: TFunction): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return t('jobs.duration.ms', { n: Math.round(ms) });
  const seconds = ms / 1000;
  if (seconds < 60) return t('jobs.duration.s', { n: seconds < 10 ? seconds.toFixed(1) : Math.round(seconds) });
  const whole = Math.round(seconds);
  if (whole < 3600) return t('jobs.duration.ms2', { m: Math.floor(whole / 60), s: whole % 60 });
  return t('jobs.duration.hm', { h: Math.floor(whole / 3600), m: Math.floor((whole % 3600) / 60) });
}

/** "1,200 条/秒" with at most one decimal below ten. */
export function rateText(rate: number | null | undefined, t: TFunction, language: string): string {
  if (rate === null || rate === undefined) return '';
  const n = rate < 10 ? Math.round(rate * 10) / 10 : Math.round(rate);
  return t('jobs.rate', { n: n.toLocaleString(language) });
}
