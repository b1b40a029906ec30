/**
 * 数据归集: pooled resources, uploading a batch with progress, batch lists and a batch with its
 * rejected rows.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Popover,
  Progress,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { useMe } from '../../api/hooks';
import {
  uploadBatch,
  useBatch,
  useBatches,
  useDecideProposal,
  usePoolInfo,
  usePoolResources,
  useProposals,
  useRejected,
  type Batch,
  type BatchStatus,
  type PoolInfo,
  type Proposal,
} from './api';

const STATUS_COLOR: Record<BatchStatus, string> = {
  running: 'processing',
  committed: 'success',
  rejected: 'warning',
  failed: 'error',
};
function BatchStatusTag({ status }: { status: BatchStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`pool.status.${status}`)}</Tag>;
}

export function PoolListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = usePoolResources();
  if (list.isError) return <LoadError error={list.error} />;
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('pool.title')}</h1>
      </div>
      <Table<PoolInfo>
        rowKey="resourceId"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid="pool-resources"
        columns={[
          {
            title: t('pool.resource'),
            key: 'name',
            render: (_, r) => (
              <Space size={8} wrap>
                <Link to={`/pool/${r.resourceId}`}>{r.name}</Link>
                {r.proposalsPending > 0 && (
                  <Tag color="orange" data-testid="proposals-pending">
                    {t('pool.detect.pending', { count: r.proposalsPending })}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('pool.code'), dataIndex: 'code', width: 200 },
          {
            title: t('pool.rows'),
            dataIndex: 'rows',
            width: 110,
            align: 'right',
            render: (n: number) => fmt.number(n),
          },
          {
            title: t('pool.frequency'),
            dataIndex: 'updateFrequency',
            width: 100,
            render: (f: string) => t(`pool.freq.${f}`, { defaultValue: f }),
          },
          {
            title: t('pool.lastLoaded'),
            dataIndex: 'lastLoadedAt',
            width: 180,
            render: (d: string | null) => fmt.dateTime(d),
          },
          {
            title: t('pool.quality'),
            key: 'q',
            width: 90,
            render: (_, r) => <Link to={`/quality/${r.resourceId}`}>{t('pool.quality')}</Link>,
          },
        ]}
      />
    </>
  );
}

/**
 * The server's error with the field, rule and column it names, so the provider knows what to fix.
 */
function describe(
  e: { message: string; details: Record<string, unknown> } | undefined,
): string | undefined {
  if (!e) return undefined;
  const d = e.details;
  const what = [d.field, d.rule, d.column, d.message, d.line && `line ${String(d.line)}`]
    .filter((x) => x && typeof x !== 'object')
    .join(' · ');
  return what ? `${e.message}（${what}）` : e.message;
}

function UploadCard({ resource }: { resource: PoolInfo }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [mode, setMode] = useState(resource.identifierField ? 'upsert' : 'append');
  const [strict, setStrict] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string; batchId?: string } | null>(
    null,
  );
  const send = async (file: File) => {
    setResult(null);
    setProgress(0);
    try {
      const { status, body } = await uploadBatch(
        resource.resourceId,
        file,
        { mode, strict },
        setProgress,
      );
      const batchId = body.batchId ?? (body.error?.details.batchId as string | undefined);
      setResult(
        status < 300
          ? { ok: true, text: t('pool.upload.done'), batchId }
          : { ok: false, text: describe(body.error) ?? String(status), batchId },
      );
    } catch (err) {
      setResult({
        ok: false,
        text:
          (err as Error).message === 'format' ? t('pool.upload.format') : t('pool.upload.network'),
      });
    } finally {
      setProgress(null);
      await qc.invalidateQueries({ queryKey: ['pool'] });
    }
  };
  return (
    <Card title={t('pool.upload.title')} size="small" style={{ marginBottom: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value)}
            optionType="button"
            options={['append', 'upsert', 'snapshot'].map((m) => ({
              value: m,
              label: t(`pool.mode.${m}`),
              disabled: m === 'upsert' && !resource.identifierField,
            }))}
          />
          <Space>
            <Switch checked={strict} onChange={setStrict} aria-label={t('pool.upload.strict')} />
            {t('pool.upload.strict')}
          </Space>
        </Space>
        <Upload.Dragger
          accept=".csv,.xlsx,.ndjson,.jsonl,.json"
          showUploadList={false}
          disabled={progress !== null}
          customRequest={({ file }) => {
            void send(file as File);
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('pool.upload.drop')}</p>
          <p className="ant-upload-hint">{t('pool.upload.hint')}</p>
        </Upload.Dragger>
        {progress !== null && (
          <Progress
            percent={Math.round(progress * 100)}
            status="active"
            format={(p) => (p === 100 ? t('pool.upload.checking') : `${p}%`)}
          />
        )}
        {result && (
          <Alert
            type={result.ok ? 'success' : 'error'}
            showIcon
            message={result.text}
            action={
              result.batchId && (
                <Link to={`/pool/batches/${result.batchId}`}>{t('pool.batch.open')}</Link>
              )
            }
          />
        )}
      </Space>
    </Card>
  );
}

function BatchTable({ resourceId }: { resourceId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [page, setPage] = useState(1);
  const batches = useBatches(resourceId, page);
  return (
    <Table<Batch>
      rowKey="id"
      size="middle"
      loading={batches.isFetching}
      dataSource={batches.data?.items ?? []}
      data-testid="batches"
      pagination={{
        current: page,
        pageSize: 10,
        total: batches.data?.total ?? 0,
        onChange: setPage,
      }}
      columns={[
        {
          title: t('pool.batch.startedAt'),
          dataIndex: 'startedAt',
          width: 180,
          render: (d: string, b) => <Link to={`/pool/batches/${b.id}`}>{fmt.dateTime(d)}</Link>,
        },
        {
          title: t('pool.batch.status'),
          dataIndex: 'status',
          width: 100,
          render: (s: BatchStatus) => <BatchStatusTag status={s} />,
        },
        {
          title: t('pool.batch.mode'),
          dataIndex: 'mode',
          width: 90,
          render: (m: string, b) => (
            <>
              {t(`pool.mode.${m}`)}
              {b.strict && <Tag style={{ marginLeft: 4 }}>{t('pool.upload.strict')}</Tag>}
            </>
          ),
        },
        {
          title: t('pool.batch.file'),
          key: 'file',
          render: (_, b) => b.fileName ?? b.format.toUpperCase(),
        },
        {
          title: t('pool.batch.received'),
          dataIndex: 'received',
          align: 'right',
          render: (n: number) => fmt.number(n),
        },
        {
          title: t('pool.batch.accepted'),
          dataIndex: 'accepted',
          align: 'right',
          render: (n: number) => fmt.number(n),
        },
        {
          title: t('pool.batch.rejected'),
          dataIndex: 'rejected',
          align: 'right',
          render: (n: number) =>
            n ? <Typography.Text type="danger">{fmt.number(n)}</Typography.Text> : 0,
        },
        { title: t('pool.batch.by'), key: 'by', render: (_, b) => b.startedBy.name },
      ]}
    />
  );
}

const SENSITIVITIES = ['public', 'internal', 'sensitive', 'personal'];
const MASKINGS = ['none', 'partial', 'hash', 'generalise', 'truncate'];
const DECISION_COLOR: Record<Proposal['status'], string> = {
  proposed: 'gold',
  accepted: 'success',
  changed: 'blue',
};

/** The provider sets its own sensitivity and masking for a field instead of the proposal's. */
function ChangeProposal({
  proposal,
  onSave,
  saving,
}: {
  proposal: Proposal;
  onSave: (d: { sensitivity: string; masking: string }) => void;
  saving: boolean;
}) {
  const { t } = useTranslation();
  const current = proposal.decided ?? proposal.proposed;
  const [sensitivity, setSensitivity] = useState(current.sensitivity);
  const [masking, setMasking] = useState(current.masking);
  return (
    <Space direction="vertical" data-testid={`change-${proposal.field}`}>
      <Select
        aria-label={t('pool.detect.sensitivity')}
        style={{ width: 200 }}
        value={sensitivity}
        onChange={setSensitivity}
        options={SENSITIVITIES.map((v) => ({ value: v, label: t(`catalog.sensitivity.${v}`) }))}
      />
      <Select
        aria-label={t('pool.detect.masking')}
        style={{ width: 200 }}
        value={masking}
        onChange={setMasking}
        options={MASKINGS.map((v) => ({ value: v, label: t(`catalog.masking.${v}`) }))}
      />
      <Button
        type="primary"
        size="small"
        loading={saving}
        onClick={() => onSave({ sensitivity, masking })}
      >
        {t('pool.detect.save')}
      </Button>
    </Space>
  );
}

/**
 * 个人信息识别: what sampling found in each field, the proposed sensitivity and masking, and the
 * provider's decision.
 */
function DetectionCard({ resource }: { resource: PoolInfo }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const proposals = useProposals(resource.resourceId);
  const decide = useDecideProposal(resource.resourceId);
  const [open, setOpen] = useState<string | null>(null);
  const mayDecide =
    !!me.data?.permissions.includes('pool.load') &&
    (me.data.organisation.id === resource.providerOrgId ||
      me.data.user.roles.includes('platform_admin'));
  const labels = new Map(resource.fields.map((f) => [f.name, f.label]));
  const save = (
    field: string,
    decision: { accept: true } | { sensitivity: string; masking: string },
  ) =>
    decide.mutate(
      { field, decision },
      {
        onSuccess: (p) => {
          setOpen(null);
          if (!p.catalog) void message.info(t('pool.detect.savedNotInCatalog'));
          else
            void message.success(
              t(p.catalog.status === 'draft' ? 'pool.detect.saved' : 'pool.detect.savedAlready', {
                version: p.catalog.version,
              }),
            );
        },
        onError: (e) => void message.error(e.message),
      },
    );
  const pair = (v: { sensitivity: string; masking: string }) =>
    `${t(`catalog.sensitivity.${v.sensitivity}`)} · ${t(`catalog.masking.${v.masking}`)}`;
  return (
    <Card
      size="small"
      title={t('pool.detect.title')}
      style={{ marginBottom: 16 }}
      data-testid="detection"
    >
      <Typography.Paragraph type="secondary">{t('pool.detect.hint')}</Typography.Paragraph>
      <Table<Proposal>
        rowKey="field"
        size="small"
        pagination={false}
        loading={proposals.isFetching}
        dataSource={proposals.data?.items ?? []}
        locale={{ emptyText: t('pool.detect.none') }}
        columns={[
          {
            title: t('pool.detect.field'),
            dataIndex: 'field',
            render: (f: string) => (
              <>
                {labels.get(f) ?? f} <Typography.Text type="secondary">{f}</Typography.Text>
              </>
            ),
          },
          {
            title: t('pool.detect.kind'),
            dataIndex: 'detectedKind',
            render: (k: string) => t(`catalog.pii.${k}`),
          },
          {
            title: t('pool.detect.share'),
            dataIndex: 'share',
            align: 'right',
            render: (s: number) => `${Math.round(s * 100)}%`,
          },
          { title: t('pool.detect.sampled'), dataIndex: 'sampled', align: 'right' },
          { title: t('pool.detect.proposed'), key: 'proposed', render: (_, p) => pair(p.proposed) },
          {
            title: t('pool.detect.source'),
            dataIndex: 'source',
            render: (s: Proposal['source']) => t(`pool.detect.sources.${s}`),
          },
          {
            title: t('pool.detect.status'),
            dataIndex: 'status',
            render: (s: Proposal['status'], p) => (
              <>
                <Tag color={DECISION_COLOR[s]}>{t(`pool.detect.statuses.${s}`)}</Tag>
                {s === 'changed' && p.decided && pair(p.decided)}
              </>
            ),
          },
          ...(mayDecide
            ? [
                {
                  title: t('pool.detect.actions'),
                  key: 'actions',
                  render: (_: unknown, p: Proposal) => (
                    <Space>
                      {p.status !== 'accepted' && (
                        <Button
                          size="small"
                          loading={
                            decide.isPending &&
                            decide.variables?.field === p.field &&
                            'accept' in decide.variables.decision
                          }
                          onClick={() => save(p.field, { accept: true })}
                        >
                          {t('pool.detect.accept')}
                        </Button>
                      )}
                      <Popover
                        trigger="click"
                        open={open === p.field}
                        onOpenChange={(o) => setOpen(o ? p.field : null)}
                        content={
                          <ChangeProposal
                            proposal={p}
                            saving={decide.isPending}
                            onSave={(d) => save(p.field, d)}
                          />
                        }
                      >
                        <Button size="small" type="link">
                          {t('pool.detect.change')}
                        </Button>
                      </Popover>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export function PoolResourcePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const info = usePoolInfo(id);
  if (info.isError) return <LoadError error={info.error} />;
  const r = info.data;
  return (
    <>
      <div className="gs-page-head">
        <h1>{r?.name ?? '…'}</h1>
        <Link to={`/quality/${id}`}>{t('pool.quality')}</Link>
      </div>
      {r && (
        <>
          <Descriptions
            size="small"
            column={4}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'code', label: t('pool.code'), children: r.code },
              { key: 'rows', label: t('pool.rows'), children: fmt.number(r.rows) },
              { key: 'id', label: t('pool.identifier'), children: r.identifierField ?? '—' },
              { key: 'last', label: t('pool.lastLoaded'), children: fmt.dateTime(r.lastLoadedAt) },
            ]}
          />
          <UploadCard resource={r} />
          <DetectionCard resource={r} />
        </>
      )}
      <h2 style={{ fontSize: 16 }}>{t('pool.batch.title')}</h2>
      <BatchTable resourceId={id} />
    </>
  );
}

export function BatchPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const [offset, setOffset] = useState(0);
  const batch = useBatch(id);
  const rejected = useRejected(id, offset);
  if (batch.isError) return <LoadError error={batch.error} />;
  const b = batch.data;
  return (
    <>
      <div className="gs-page-head">
        <h1>
          {t('pool.batch.one')} {b && <BatchStatusTag status={b.status} />}
        </h1>
        {b && <Link to={`/pool/${b.resourceId}`}>{t('pool.batch.back')}</Link>}
      </div>
      {b && (
        <Descriptions
          bordered
          size="small"
          column={3}
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'mode',
              label: t('pool.batch.mode'),
              children: `${t(`pool.mode.${b.mode}`)}${b.strict ? ` · ${t('pool.upload.strict')}` : ''}`,
            },
            {
              key: 'file',
              label: t('pool.batch.file'),
              children: b.fileName ?? b.format.toUpperCase(),
            },
            { key: 'by', label: t('pool.batch.by'), children: b.startedBy.name },
            { key: 'recv', label: t('pool.batch.received'), children: fmt.number(b.received) },
            { key: 'acc', label: t('pool.batch.accepted'), children: fmt.number(b.accepted) },
            { key: 'rej', label: t('pool.batch.rejected'), children: fmt.number(b.rejected) },
            {
              key: 'changes',
              label: t('pool.batch.changes'),
              span: 2,
              children: t('pool.batch.changeText', {
                inserted: b.inserted,
                updated: b.updated,
                deleted: b.deleted,
                unchanged: b.unchanged,
              }),
            },
            {
              key: 'time',
              label: t('pool.batch.duration'),
              children: b.durationMs === null ? '—' : `${(b.durationMs / 1000).toFixed(1)} s`,
            },
            ...(b.error
              ? [
                  {
                    key: 'err',
                    label: t('pool.batch.error'),
                    span: 3,
                    children: String(b.error.message ?? b.error.reason),
                  },
                ]
              : []),
          ]}
        />
      )}
      <div className="gs-page-head">
        <h2 style={{ fontSize: 16, margin: 0 }}>{t('pool.rejected.title')}</h2>
        <Button
          icon={<DownloadOutlined />}
          href={`/api/v1/batches/${id}/rejected?format=csv`}
          disabled={!rejected.data?.total}
        >
          {t('pool.rejected.download')}
        </Button>
      </div>
      <Table<{ row: number; field: string; rule: string; value: string | null }>
        rowKey={(r) => `${r.row}-${r.field}-${r.rule}`}
        size="small"
        loading={rejected.isFetching}
        dataSource={rejected.data?.items ?? []}
        data-testid="rejected"
        locale={{ emptyText: t('pool.rejected.none') }}
        pagination={{
          current: offset / 20 + 1,
          pageSize: 20,
          total: rejected.data?.total ?? 0,
          onChange: (p) => setOffset((p - 1) * 20),
        }}
        columns={[
          { title: t('pool.rejected.row'), dataIndex: 'row', width: 90 },
          { title: t('pool.rejected.field'), dataIndex: 'field', width: 180 },
          {
            title: t('pool.rejected.rule'),
            dataIndex: 'rule',
            width: 200,
            render: (r: string) => t(`pool.rule.${r}`, { defaultValue: r }),
          },
          {
            title: t('pool.rejected.value'),
            dataIndex: 'value',
            render: (v: string | null) => <Typography.Text code>{v ?? '∅'}</Typography.Text>,
          },
        ]}
      />
    </>
  );
}
