/** 数据登记 (一本底帐): systems with their tables, data sets, and the function data list. */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import {
  importTablesXlsx,
  useDatasets,
  useFunctionList,
  useSubmittedLists,
  useSystem,
  useSystems,
  useTables,
  type Dataset,
  type FunctionItem,
  type SubmittedList,
  type System,
  type Table as TableT,
} from '../catalog/api';
import { useMe } from '../../api/hooks';
import { useFormat } from '../../lib/format';

const STAGES = ['planning', 'building', 'trial', 'online', 'retired'];

/** Runs a change, reports the server's words on failure, and refreshes what it touched. */
function useChange(keys: string[][]) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  return async <T,>(fn: () => Promise<T>, ok?: string): Promise<T | undefined> => {
    try {
      const r = await fn();
      if (ok) void message.success(ok);
      for (const k of keys) await qc.invalidateQueries({ queryKey: k });
      return r;
    } catch (e) {
      void message.error(errorText(e));
      return undefined;
    }
  };
}

export function SystemsPage() {
  const { t } = useTranslation();
  const systems = useSystems();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const change = useChange([['systems']]);
  if (systems.isError) return <LoadError error={systems.error} />;
  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (await change(() => api('/systems', { method: 'POST', body: v }))) {
      setOpen(false);
      form.resetFields();
    }
  };
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('catalog.registry.systems')}</h1>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('catalog.registry.newSystem')}
        </Button>
      </div>
      <Table<System>
        rowKey="id"
        loading={systems.isFetching}
        dataSource={systems.data ?? []}
        data-testid="systems"
        columns={[
          {
            title: t('catalog.registry.name'),
            key: 'n',
            render: (_, s) => <Link to={`/registry/systems/${s.id}`}>{s.name}</Link>,
          },
          { title: t('catalog.col.provider'), dataIndex: 'orgName', width: 200 },
          { title: t('catalog.registry.owner'), dataIndex: 'owner', width: 140 },
          {
            title: t('catalog.registry.stage'),
            dataIndex: 'constructionStage',
            width: 90,
            render: (s: string) => t(`catalog.registry.stageName.${s}`),
          },
          {
            title: t('catalog.registry.tables'),
            dataIndex: 'tableCount',
            width: 80,
            align: 'right',
          },
          {
            title: t('catalog.registry.uncatalogued'),
            dataIndex: 'uncataloguedTables',
            width: 110,
            align: 'right',
            render: (n: number) => (n ? <Tag color="warning">{n}</Tag> : 0),
          },
          {
            title: t('catalog.registry.accepted'),
            dataIndex: 'accepted',
            width: 90,
            render: (a: boolean) => (
              <Tag color={a ? 'success' : 'default'}>
                {a ? t('catalog.registry.accepted') : t('catalog.registry.acceptedNo')}
              </Tag>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('catalog.registry.newSystem')}
        onOk={create}
        onCancel={() => setOpen(false)}
      >
        <Form form={form} layout="vertical" initialValues={{ constructionStage: 'building' }}>
          <Form.Item
            name="name"
            label={t('catalog.registry.name')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="owner"
            label={t('catalog.registry.owner')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="constructionStage" label={t('catalog.registry.stage')}>
            <Select
              options={STAGES.map((s) => ({
                value: s,
                label: t(`catalog.registry.stageName.${s}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="description" label={t('catalog.registry.description')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** `name type comment` per line → columns. */
const parseColumns = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, type = 'varchar', ...comment] = l.split(/\s+/);
      return { name, type, comment: comment.join(' ') || null };
    });

export function SystemPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const system = useSystem(id);
  const tables = useTables(id);
  const change = useChange([['systems']]);
  const [blocked, setBlocked] = useState<string | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  const [modal, setModal] = useState<'table' | 'introspect' | null>(null);
  const [exempting, setExempting] = useState<TableT | null>(null);
  const [form] = Form.useForm();
  if (system.isError) return <LoadError error={system.error} />;
  const s = system.data;
  if (!s) return <Card loading />;
  const accept = async () => {
    setBlocked(null);
    try {
      await api(`/systems/${id}`, { method: 'PATCH', body: { accepted: true } });
      await system.refetch();
    } catch (e) {
      const tablesLeft =
        e instanceof ApiError ? (e.details.tables as string[] | undefined) : undefined;
      setBlocked(
        tablesLeft
          ? t('catalog.registry.acceptBlocked', { tables: tablesLeft.join('、') })
          : errorText(e),
      );
    }
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const ok =
      modal === 'table'
        ? await change(() =>
            api(`/systems/${id}/tables`, {
              method: 'POST',
              body: {
                databaseName: v.databaseName || undefined,
                name: v.name,
                comment: v.comment || null,
                columns: parseColumns(v.columns ?? ''),
              },
            }),
          )
        : modal === 'introspect'
          ? await change(() =>
              api(`/systems/${id}/tables/introspect`, {
                method: 'POST',
                body: { connectionString: v.connectionString, schema: v.schema || undefined },
              }),
            )
          : await change(() =>
              api(`/systems/${id}/tables/${exempting!.id}`, {
                method: 'PATCH',
                body: { exemptionBasis: v.exemptionBasis },
              }),
            );
    if (ok) {
      setModal(null);
      setExempting(null);
      form.resetFields();
    }
  };
  const importSheet = async (file: File) => {
    setBlocked(null);
    setImported(null);
    try {
      const { items } = await importTablesXlsx(id, file);
      setImported(t('catalog.registry.importedTables', { count: items.length }));
      await Promise.all([tables.refetch(), system.refetch()]);
    } catch (e) {
      const rows =
        e instanceof ApiError
          ? (e.details.rows as { row: number; column: string; rule: string }[] | undefined)
          : undefined;
      setBlocked(
        rows
          ? t('catalog.registry.sheetRows', {
              rows: rows.map((r) => `#${r.row} ${r.column} (${r.rule})`).join('；'),
            })
          : errorText(e),
      );
    }
  };
  const toCatalog = async (table: TableT) => {
    const made = await change(
      () =>
        api<{ id: string }>('/resources/from-table', {
          method: 'POST',
          body: { tableId: table.id },
        }),
      t('catalog.registry.created'),
    );
    if (made) void navigate(`/catalog/${made.id}/edit`);
  };
  return (
    <>
      <div className="gs-page-head">
        <h1>
          {s.name}{' '}
          <Tag color={s.accepted ? 'success' : 'default'}>
            {s.accepted ? t('catalog.registry.accepted') : t('catalog.registry.acceptedNo')}
          </Tag>
        </h1>
        <Space wrap>
          <Button onClick={() => setModal('table')}>{t('catalog.registry.addTable')}</Button>
          <Button onClick={() => setModal('introspect')}>{t('catalog.registry.introspect')}</Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            customRequest={({ file }) => {
              void importSheet(file as File);
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="import-tables">
              {t('catalog.registry.importXlsx')}
            </Button>
          </Upload>
          <Button icon={<DownloadOutlined />} href="/api/v1/registry/tables-template.xlsx">
            {t('catalog.registry.template')}
          </Button>
          {!s.accepted && (
            <Button type="primary" onClick={accept} data-testid="accept">
              {t('catalog.registry.accept')}
            </Button>
          )}
        </Space>
      </div>
      {blocked && (
        <Alert
          type="warning"
          showIcon
          message={blocked}
          style={{ marginBottom: 12 }}
          data-testid="accept-blocked"
        />
      )}
      {imported && (
        <Alert
          type="success"
          showIcon
          closable
          message={imported}
          style={{ marginBottom: 12 }}
          onClose={() => setImported(null)}
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('catalog.col.provider')}>{s.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('catalog.registry.owner')}>{s.owner}</Descriptions.Item>
        <Descriptions.Item label={t('catalog.registry.stage')}>
          {t(`catalog.registry.stageName.${s.constructionStage}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('catalog.registry.description')} span={3}>
          {s.description ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      <Table<TableT>
        rowKey="id"
        loading={tables.isFetching}
        dataSource={tables.data ?? []}
        data-testid="tables"
        expandable={{
          expandedRowRender: (tb) => (
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              dataSource={tb.columns}
              columns={[
                { title: t('catalog.fieldCol.name'), dataIndex: 'name' },
                { title: t('catalog.fieldCol.type'), dataIndex: 'type' },
                { title: t('catalog.registry.comment'), dataIndex: 'comment' },
                { title: 'PK', dataIndex: 'primaryKey', render: (v: boolean) => (v ? '✓' : '') },
                { title: 'NULL', dataIndex: 'nullable', render: (v: boolean) => (v ? '✓' : '') },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('catalog.registry.database'), dataIndex: 'databaseName', width: 120 },
          {
            title: t('catalog.registry.tableName'),
            dataIndex: 'name',
            render: (n: string) => <code>{n}</code>,
          },
          { title: t('catalog.registry.comment'), dataIndex: 'comment' },
          {
            title: t('catalog.registry.columns'),
            key: 'c',
            width: 70,
            align: 'right',
            render: (_, tb) => tb.columns.length,
          },
          {
            title: '',
            key: 'state',
            width: 220,
            render: (_, tb) =>
              tb.catalogued ? (
                <Tag color="success">{t('catalog.registry.catalogued')}</Tag>
              ) : tb.exemptionBasis ? (
                <Typography.Text type="secondary" title={tb.exemptionBasis}>
                  <Tag>{t('catalog.registry.exempt')}</Tag>
                  {tb.exemptionBasis.slice(0, 12)}…
                </Typography.Text>
              ) : (
                <Space>
                  <Button size="small" type="primary" onClick={() => toCatalog(tb)}>
                    {t('catalog.registry.toCatalog')}
                  </Button>
                  <Button size="small" onClick={() => setExempting(tb)}>
                    {t('catalog.registry.exempt')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={!!modal || !!exempting}
        title={
          exempting
            ? `${t('catalog.registry.exemption')} · ${exempting.name}`
            : modal === 'table'
              ? t('catalog.registry.addTable')
              : t('catalog.registry.introspect')
        }
        onOk={submit}
        onCancel={() => {
          setModal(null);
          setExempting(null);
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {exempting && (
            <Form.Item
              name="exemptionBasis"
              label={t('catalog.registry.exemptionBasis')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {modal === 'table' && (
            <>
              <Form.Item name="databaseName" label={t('catalog.registry.database')}>
                <Input />
              </Form.Item>
              <Form.Item
                name="name"
                label={t('catalog.registry.tableName')}
                rules={[{ required: true, whitespace: true }]}
              >
                <Input />
              </Form.Item>
              <Form.Item name="comment" label={t('catalog.registry.comment')}>
                <Input />
              </Form.Item>
              <Form.Item
                name="columns"
                label={t('catalog.registry.columnsText')}
                rules={[{ required: true }]}
              >
                <Input.TextArea
                  rows={6}
                  placeholder={'id bigint 主键\nsfzh varchar(18) 公民身份号码'}
                />
              </Form.Item>
            </>
          )}
          {modal === 'introspect' && (
            <>
              <Form.Item
                name="connectionString"
                label={t('catalog.registry.connection')}
                extra={t('catalog.registry.connectionHint')}
                rules={[{ required: true, pattern: /^(postgres|postgresql|mysql):\/\// }]}
              >
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name="schema" label={t('catalog.registry.schema')}>
                <Input />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}

export function DatasetsPage() {
  const { t } = useTranslation();
  const list = useDatasets();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);
  const change = useChange([['datasets']]);
  if (list.isError) return <LoadError error={list.error} />;
  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (
      await change(() =>
        api('/datasets', {
          method: 'POST',
          body: Object.fromEntries(Object.entries(v).filter(([, x]) => x)),
        }),
      )
    ) {
      setOpen(false);
      form.resetFields();
    }
  };
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('catalog.registry.datasets')}</h1>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('catalog.registry.newDataset')}
        </Button>
      </div>
      <Table<Dataset>
        rowKey="id"
        dataSource={list.data ?? []}
        loading={list.isFetching}
        columns={[
          {
            title: t('catalog.registry.kind'),
            dataIndex: 'kind',
            width: 120,
            render: (k: string) => <Tag>{t(`catalog.registry.kindName.${k}`)}</Tag>,
          },
          { title: t('catalog.col.name'), dataIndex: 'name' },
          { title: t('catalog.col.provider'), dataIndex: 'orgName', width: 180 },
          { title: t('catalog.registry.format'), dataIndex: 'format', width: 100 },
          { title: t('catalog.registry.volume'), dataIndex: 'volume', width: 100 },
          { title: t('catalog.registry.supplier'), dataIndex: 'supplier', width: 160 },
          { title: t('catalog.registry.validUntil'), dataIndex: 'validUntil', width: 110 },
        ]}
      />
      <Modal
        open={open}
        title={t('catalog.registry.newDataset')}
        onOk={create}
        onCancel={() => setOpen(false)}
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'unstructured' }}>
          <Form.Item name="kind" label={t('catalog.registry.kind')}>
            <Select
              options={['unstructured', 'purchased', 'exchanged', 'crawled'].map((k) => ({
                value: k,
                label: t(`catalog.registry.kindName.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('catalog.col.name')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="supplier"
            label={t('catalog.registry.supplier')}
            rules={[{ required: kind === 'purchased', whitespace: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="contractNo" label={t('catalog.registry.contractNo')}>
            <Input />
          </Form.Item>
          <Form.Item name="format" label={t('catalog.registry.format')}>
            <Input />
          </Form.Item>
          <Form.Item name="volume" label={t('catalog.registry.volume')}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('catalog.registry.description')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

const REVIEW_COLOR: Record<string, string> = {
  submitted: 'processing',
  approved: 'success',
  returned: 'error',
};

/**
 * 职能数据清单 [003 §10]: the body keeps its list and submits it to the data authority for 审定
 * (a change takes it back to unsubmitted); the authority approves or returns the lists waiting.
 */
export function FunctionsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const perms = me.data?.permissions ?? [];
  const mayWrite = perms.includes('registry.write');
  const list = useFunctionList();
  const [form] = Form.useForm();
  const change = useChange([['function-data']]);
  if (list.isError) return <LoadError error={list.error} />;
  const review = list.data?.review ?? null;
  const items = list.data?.items ?? [];
  const add = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (
      await change(() =>
        api('/function-data', {
          method: 'POST',
          body: Object.fromEntries(Object.entries(v).filter(([, x]) => x)),
        }),
      )
    )
      form.resetFields();
  };
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('catalog.registry.functions')}</h1>
      </div>
      {perms.includes('catalog.review') && <WaitingLists />}
      {mayWrite && (
        <>
          <Alert
            style={{ marginBottom: 12 }}
            type={
              review?.status === 'returned'
                ? 'error'
                : review?.status === 'approved'
                  ? 'success'
                  : 'info'
            }
            showIcon
            data-testid="function-list-status"
            title={
              <Space wrap>
                <Tag color={REVIEW_COLOR[review?.status ?? ''] ?? 'default'}>
                  {t(`catalog.registry.listStatus.${review?.status ?? 'none'}`)}
                </Tag>
                {review && (
                  <Typography.Text type="secondary">
                    {fmt.dateTime(review.decidedAt ?? review.submittedAt)} ·{' '}
                    {review.decidedBy ?? review.submittedBy}
                  </Typography.Text>
                )}
              </Space>
            }
            description={
              review?.status === 'returned'
                ? t('catalog.registry.returnedBecause', { comment: review.comment })
                : t('catalog.registry.changeResets')
            }
            action={
              (!review || review.status === 'returned') &&
              items.length > 0 && (
                <Button
                  type="primary"
                  onClick={() =>
                    change(
                      () => api('/function-data/submit', { method: 'POST', body: {} }),
                      t('catalog.registry.submitted'),
                    )
                  }
                >
                  {t('catalog.registry.submit')}
                </Button>
              )
            }
          />
          <Card size="small" style={{ marginBottom: 12 }}>
            <Form form={form} layout="inline">
              <Form.Item name="duty" rules={[{ required: true, whitespace: true }]}>
                <Input
                  placeholder={t('catalog.registry.duty')}
                  aria-label={t('catalog.registry.duty')}
                />
              </Form.Item>
              <Form.Item name="dutyBasis">
                <Input
                  placeholder={t('catalog.registry.dutyBasis')}
                  aria-label={t('catalog.registry.dutyBasis')}
                />
              </Form.Item>
              <Form.Item name="dataName" rules={[{ required: true, whitespace: true }]}>
                <Input
                  placeholder={t('catalog.registry.dataName')}
                  aria-label={t('catalog.registry.dataName')}
                />
              </Form.Item>
              <Button type="primary" onClick={add}>
                {t('catalog.registry.newItem')}
              </Button>
            </Form>
          </Card>
          <FunctionTable
            items={items}
            loading={list.isFetching}
            onRemove={(f) => change(() => api(`/function-data/${f.id}`, { method: 'DELETE' }))}
          />
        </>
      )}
    </>
  );
}

function FunctionTable({
  items,
  loading,
  onRemove,
}: {
  items: FunctionItem[];
  loading: boolean;
  onRemove?: (f: FunctionItem) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table<FunctionItem>
      rowKey="id"
      size="small"
      dataSource={items}
      loading={loading}
      pagination={false}
      columns={[
        { title: t('catalog.registry.duty'), dataIndex: 'duty' },
        { title: t('catalog.registry.dutyBasis'), dataIndex: 'dutyBasis' },
        { title: t('catalog.registry.dataName'), dataIndex: 'dataName' },
        {
          title: t('catalog.registry.resource'),
          key: 'r',
          render: (_, f) =>
            f.resourceId ? <Link to={`/catalog/${f.resourceId}`}>{f.resourceName}</Link> : '—',
        },
        ...(onRemove
          ? [
              {
                title: '',
                key: 'x',
                width: 80,
                render: (_: unknown, f: FunctionItem) => (
                  <Button size="small" danger onClick={() => onRemove(f)}>
                    {t('catalog.registry.remove')}
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

/**
 * The data authority's side: the lists waiting for 审定, each viewable, approvable, returnable with a
 * reason.
 */
function WaitingLists() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const waiting = useSubmittedLists(true);
  const change = useChange([['function-data']]);
  const [viewing, setViewing] = useState<SubmittedList | null>(null);
  const [returning, setReturning] = useState<SubmittedList | null>(null);
  const [reason, setReason] = useState('');
  const decide = (l: SubmittedList, decision: 'approve' | 'return', comment?: string) =>
    change(
      () =>
        api('/function-data/decision', {
          method: 'POST',
          body: { orgId: l.orgId, decision, comment },
        }),
      t(decision === 'approve' ? 'catalog.registry.approved' : 'catalog.registry.returned'),
    );
  return (
    <Card size="small" title={t('catalog.registry.waiting')} style={{ marginBottom: 16 }}>
      <Table<SubmittedList>
        rowKey="orgId"
        size="small"
        dataSource={waiting.data ?? []}
        loading={waiting.isFetching}
        pagination={false}
        data-testid="function-lists-waiting"
        locale={{ emptyText: t('catalog.registry.noneWaiting') }}
        columns={[
          { title: t('catalog.registry.orgName'), dataIndex: 'orgName' },
          { title: t('catalog.registry.itemCount'), dataIndex: 'items', width: 90, align: 'right' },
          {
            title: t('catalog.registry.submittedAt'),
            key: 'at',
            width: 260,
            render: (_, l) => `${fmt.dateTime(l.submittedAt)} · ${l.submittedBy ?? ''}`,
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 240,
            render: (_, l) => (
              <Space>
                <Button size="small" onClick={() => setViewing(l)}>
                  {t('catalog.registry.view')}
                </Button>
                <Button size="small" type="primary" onClick={() => decide(l, 'approve')}>
                  {t('catalog.registry.approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => {
                    setReason('');
                    setReturning(l);
                  }}
                >
                  {t('catalog.registry.sendBack')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!viewing}
        title={viewing?.orgName}
        footer={null}
        width={900}
        onCancel={() => setViewing(null)}
        destroyOnHidden
      >
        {viewing && <OrgFunctionList orgId={viewing.orgId} />}
      </Modal>
      <Modal
        open={!!returning}
        title={`${t('catalog.registry.sendBack')} · ${returning?.orgName ?? ''}`}
        okText={t('catalog.registry.sendBack')}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onCancel={() => setReturning(null)}
        onOk={async () => {
          if (returning && (await decide(returning, 'return', reason.trim())) !== undefined)
            setReturning(null);
        }}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('catalog.registry.returnReason')} htmlFor="return-reason" required>
            <Input.TextArea
              id="return-reason"
              rows={3}
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function OrgFunctionList({ orgId }: { orgId: string }) {
  const list = useFunctionList(orgId);
  if (list.isError) return <LoadError error={list.error} />;
  return <FunctionTable items={list.data?.items ?? []} loading={list.isFetching} />;
}
