import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Card, Form, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../api/errors';
import { useFormat } from '../../../services/formatting';
import JobRunStatusTag from './components/JobRunStatusTag';
import RunProgress from './components/RunProgress';
import { durationText, listJobRuns, listJobs, runJob, RUNNING_REFETCH_MS, runsRefetchInterval } from './service';
import { JOB_RUN_STATUSES, type Job, type JobRun, type JobRunFilters } from './types';

/** 后台任务: the recurring jobs with their schedules and last runs, and the runs themselves. */
export default function JobsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<JobRunFilters>({});
  const runs = useInfiniteQuery({
    queryKey: ['job-runs', filters],
    queryFn: ({ pageParam }) => listJobRuns(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Runs change only while one is queued or running; nothing is polled otherwise.
    refetchInterval: (q) => runsRefetchInterval(q.state.data?.pages.flatMap((p) => p.items) ?? []),
  });
  const runRows = useMemo(() => runs.data?.pages.flatMap((p) => p.items) ?? [], [runs.data]);
  const active = runsRefetchInterval(runRows) !== false;
  // A job's last run and next fire change as its runs do: polled with them, and fetched once more
  // when the last of them has ended, or the job would show its run as still under way.
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: listJobs, refetchInterval: active ? RUNNING_REFETCH_MS : false });
  const wasActive = useRef(false);
  useEffect(() => {
    if (wasActive.current && !active) void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    wasActive.current = active;
  }, [active, queryClient]);
  const jobList = jobs.data?.items ?? [];
  const labelOf = (key: string) => jobList.find((j) => j.key === key)?.label ?? key;
  const run = useMutation({
    mutationFn: runJob,
    onSuccess: (r) => {
      void message.success(t('jobs.queued', { label: labelOf(r.job_key) }));
      void queryClient.invalidateQueries({ queryKey: ['job-runs'] });
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
    onError: (e) => reportError(e),
  });

  const jobColumns: TableColumnsType<Job> = [
    {
      key: 'label',
      title: t('jobs.job'),
      render: (_v, j) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{j.label}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {j.key}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'schedule',
      title: t('jobs.schedule'),
      render: (_v, j) => (
        <Space wrap size={4}>
          <Tooltip title={j.schedule}>
            <span>{j.schedule_label}</span>
          </Tooltip>
          {j.working_days_only && <Tag color="blue">{t('jobs.workingDaysOnly')}</Tag>}
          <Tooltip title={t(`jobs.catchUpHint.${j.catch_up}`)}>
            <Tag>{t(`jobs.catchUp.${j.catch_up}`)}</Tag>
          </Tooltip>
        </Space>
      ),
    },
    { key: 'next', title: t('jobs.nextFire'), width: 160, render: (_v, j) => (j.next_fire_at ? format.dateTime(j.next_fire_at) : '—') },
    {
      key: 'last',
      title: t('jobs.lastRun'),
      width: 260,
      render: (_v, j) =>
        j.last_run ? (
          <Space size={4} wrap>
            <JobRunStatusTag status={j.last_run.status} />
            <Typography.Text type="secondary">{format.dateTime(j.last_run.finished_at ?? j.last_run.started_at ?? j.last_run.scheduled_for)}</Typography.Text>
            {j.last_run.duration_ms !== null && <Typography.Text type="secondary">{durationText(j.last_run.duration_ms, t)}</Typography.Text>}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('jobs.neverRun')}</Typography.Text>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      render: (_v, j) => (
        <Popconfirm title={t('jobs.runConfirm', { label: j.label })} okText={t('jobs.runNow')} cancelText={t('common.cancel')} onConfirm={() => run.mutateAsync(j.key).catch(() => undefined)}>
          <Button type="link" size="small">
            {t('jobs.runNow')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  const runColumns: TableColumnsType<JobRun> = [
    { key: 'id', title: t('jobs.runId'), dataIndex: 'id', width: 80 },
    { key: 'job', title: t('jobs.job'), width: 160, ellipsis: true, render: (_v, r) => labelOf(r.job_key) },
    { key: 'status', title: t('jobs.status'), width: 100, render: (_v, r) => <JobRunStatusTag status={r.status} /> },
    { key: 'scheduled_for', title: t('jobs.scheduledFor'), width: 150, render: (_v, r) => format.dateTime(r.scheduled_for) },
    { key: 'started_at', title: t('jobs.startedAt'), width: 150, render: (_v, r) => format.dateTime(r.started_at, true) },
    { key: 'finished_at', title: t('jobs.finishedAt'), width: 150, render: (_v, r) => format.dateTime(r.finished_at, true) },
    { key: 'duration', title: t('jobs.duration.title'), width: 100, render: (_v, r) => durationText(r.duration_ms, t) },
    {
      key: 'progress',
      title: t('jobs.progress'),
      width: 240,
      render: (_v, r) => (r.status === 'running' && r.progress ? <RunProgress progress={r.progress} /> : null),
    },
    { key: 'requested_by', title: t('jobs.requestedBy'), width: 110, render: (_v, r) => (r.manual ? r.requested_by || '—' : t('jobs.scheduled')) },
    {
      key: 'error',
      title: t('jobs.error'),
      ellipsis: { showTitle: false },
      render: (_v, r) => (
        <Tooltip title={r.error}>
          <Typography.Text type="danger">{r.error}</Typography.Text>
        </Tooltip>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('jobs.title')}>
        <Table<Job> rowKey="key" size="small" columns={jobColumns} dataSource={jobList} loading={jobs.isLoading} pagination={false} data-testid="job-table" />
      </Card>
      <Card title={t('jobs.runs')}>
        <Form name="jobRunFilter" layout="inline" onFinish={(v: JobRunFilters) => setFilters(v)} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="job_key" label={t('jobs.job')}>
            <Select allowClear style={{ width: 200 }} placeholder={t('common.all')} options={jobList.map((j) => ({ value: j.key, label: j.label }))} />
          </Form.Item>
          <Form.Item name="status" label={t('jobs.status')}>
            <Select allowClear style={{ width: 140 }} placeholder={t('common.all')} options={JOB_RUN_STATUSES.map((s) => ({ value: s, label: t(`jobs.statuses.${s}`) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common.search')}
          </Button>
        </Form>
        <Table<JobRun>
          rowKey="id"
          size="small"
          columns={runColumns}
          dataSource={runRows}
          loading={runs.isLoading}
          pagination={false}
          tableLayout="fixed"
          scroll={{ x: 1500 }}
          data-testid="run-table"
        />
        {runs.hasNextPage && (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={() => void runs.fetchNextPage()} loading={runs.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          </div>
        )}
      </Card>
    </Space>
  );
}
