/** 目录检索: Chinese word search with facets, export and import. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  Input,
  Modal,
  Row,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/hooks';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import { useFormat } from '../../lib/format';
import {
  importXlsx,
  useSearch,
  type FacetName,
  type ImportReport,
  type SearchQuery,
  type Summary,
} from './api';
import { StatusTag } from './tags';

const FACETS: FacetName[] = ['status', 'provider', 'category', 'shareType', 'openType', 'level'];
const FILTER_KEYS = ['q', 'mine', ...FACETS] as const;

/** How a facet value reads: our own vocabularies are translated, the server's labels kept. */
function useFacetLabel() {
  const { t } = useTranslation();
  return (facet: FacetName, value: string, label: string) =>
    facet === 'status'
      ? t(`catalog.status.${value}`)
      : facet === 'openType'
        ? t(`catalog.openType.${value}`)
        : facet === 'level'
          ? t(`catalog.level.${value}`)
          : label;
}

function ImportButton() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [atomic, setAtomic] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async (file: File) => {
    setError(null);
    try {
      setReport(await importXlsx(file, atomic));
      await qc.invalidateQueries({ queryKey: ['resources'] });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <Space>
        <Upload
          accept=".xlsx"
          showUploadList={false}
          customRequest={({ file }) => {
            void send(file as File);
          }}
        >
          <Button icon={<UploadOutlined />}>{t('catalog.browse.import')}</Button>
        </Upload>
        <Switch size="small" checked={atomic} onChange={setAtomic} title="atomic" />
      </Space>
      {error && (
        <Alert type="error" showIcon message={error} closable onClose={() => setError(null)} />
      )}
      <Modal
        open={!!report}
        title={t('catalog.xlsx.title')}
        width={860}
        footer={null}
        onCancel={() => setReport(null)}
      >
        {report && (
          <>
            {!report.committed && (
              <Alert
                type="error"
                showIcon
                message={t('catalog.xlsx.notCommitted')}
                style={{ marginBottom: 12 }}
              />
            )}
            <Space style={{ marginBottom: 12 }}>
              <Tag color="success">{t('catalog.xlsx.created', { n: report.created })}</Tag>
              <Tag color="processing">{t('catalog.xlsx.updated', { n: report.updated })}</Tag>
              <Tag>{t('catalog.xlsx.unchanged', { n: report.unchanged })}</Tag>
              <Tag color="error">{t('catalog.xlsx.rejected', { n: report.rejected })}</Tag>
            </Space>
            <Table
              size="small"
              rowKey={(r) => `${r.row}-${r.outcome}`}
              dataSource={report.rows}
              pagination={false}
              scroll={{ y: 400 }}
              columns={[
                { title: t('catalog.xlsx.row'), dataIndex: 'row', width: 60 },
                { title: t('catalog.col.code'), dataIndex: 'code', width: 190 },
                { title: t('catalog.col.name'), dataIndex: 'name' },
                {
                  title: t('catalog.xlsx.outcome'),
                  dataIndex: 'outcome',
                  width: 80,
                  render: (o: string) => (
                    <Tag color={o === 'rejected' ? 'error' : 'default'}>
                      {t(`catalog.xlsx.outcomeName.${o}`)}
                    </Tag>
                  ),
                },
                {
                  title: t('catalog.xlsx.reasons'),
                  key: 'r',
                  render: (_, r) => r.reasons.map((x) => <div key={x.message}>{x.message}</div>),
                },
              ]}
            />
          </>
        )}
      </Modal>
    </>
  );
}

export function CatalogPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const label = useFacetLabel();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const filters = Object.fromEntries(
    FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v),
  ) as Partial<Record<string, string>>;
  const page = Number(params.get('page') ?? 1);
  const query: SearchQuery = { ...filters, page, pageSize: 20 };
  const result = useSearch(query);
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const canWrite = me.data?.permissions.includes('catalog.write' as never);
  const exportHref = `/api/v1/catalog/export.xlsx?${new URLSearchParams(Object.entries(filters) as [string, string][]).toString()}`;
  if (result.isError) return <LoadError error={result.error} />;
  const data = result.data;
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('catalog.browse.title')}</h1>
        <Space wrap>
          <a href={exportHref} data-testid="catalog-export">
            <Button icon={<DownloadOutlined />}>{t('catalog.browse.export')}</Button>
          </a>
          {canWrite && <ImportButton />}
          {canWrite && (
            <Link to="/catalog/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t('catalog.browse.new')}
              </Button>
            </Link>
          )}
        </Space>
      </div>
      <Input.Search
        allowClear
        enterButton
        size="large"
        value={text}
        placeholder={t('catalog.browse.search')}
        data-testid="catalog-search"
        onChange={(e) => setText(e.target.value)}
        onSearch={(v) => set({ q: v.trim() || undefined })}
        style={{ marginBottom: 16 }}
      />
      <Row gutter={16}>
        <Col xs={24} md={6}>
          {FACETS.map((f) => (
            <Card
              key={f}
              size="small"
              title={t(`catalog.facet.${f}`)}
              style={{ marginBottom: 12 }}
              data-testid={`facet-${f}`}
            >
              {(data?.facets[f] ?? []).map((x) => {
                const active = filters[f] === x.value;
                return (
                  <div
                    key={x.value}
                    style={{
                      display: 'flex',
                      justifyContent: 'space-between',
                      alignItems: 'center',
                      padding: '2px 0',
                    }}
                  >
                    <Typography.Link
                      strong={active}
                      onClick={() => set({ [f]: active ? undefined : x.value })}
                    >
                      {label(f, x.value, x.label)}
                    </Typography.Link>
                    <Badge
                      count={x.count}
                      showZero
                      color={active ? '#1677ff' : '#bfbfbf'}
                      overflowCount={9999}
                      style={{ marginLeft: 8 }}
                    />
                  </div>
                );
              })}
            </Card>
          ))}
          {Object.keys(filters).length > 0 && (
            <Button
              block
              onClick={() => {
                setText('');
                setParams(new URLSearchParams());
              }}
            >
              {t('catalog.browse.clear')}
            </Button>
          )}
        </Col>
        <Col xs={24} md={18}>
          <Table<Summary>
            rowKey="id"
            loading={result.isFetching}
            dataSource={data?.items ?? []}
            data-testid="catalog-results"
            locale={{ emptyText: t('catalog.browse.empty') }}
            pagination={{
              current: page,
              pageSize: 20,
              total: data?.total ?? 0,
              showTotal: (n) => t('catalog.browse.total', { n }),
              onChange: (p) => set({ page: String(p) }),
              showSizeChanger: false,
            }}
            columns={[
              {
                title: t('catalog.col.name'),
                key: 'name',
                render: (_, r) => (
                  <div>
                    <Link to={`/catalog/${r.id}`} style={{ fontWeight: 500 }}>
                      {r.name}
                    </Link>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.code}
                      </Typography.Text>
                    </div>
                    <Typography.Paragraph
                      type="secondary"
                      ellipsis={{ rows: 2 }}
                      style={{ margin: 0, fontSize: 13 }}
                    >
                      {r.summary}
                    </Typography.Paragraph>
                  </div>
                ),
              },
              { title: t('catalog.col.provider'), dataIndex: 'providerName', width: 150 },
              { title: t('catalog.col.category'), dataIndex: 'categoryName', width: 110 },
              {
                title: t('catalog.col.openType'),
                dataIndex: 'openType',
                width: 110,
                render: (v: string) => t(`catalog.openType.${v}`),
              },
              {
                title: t('catalog.browse.fields'),
                dataIndex: 'fieldCount',
                width: 70,
                align: 'right',
              },
              {
                title: t('catalog.col.status'),
                dataIndex: 'status',
                width: 90,
                render: (s) => <StatusTag status={s} />,
              },
              {
                title: t('catalog.col.updated'),
                dataIndex: 'updatedAt',
                width: 110,
                render: (d: string) => fmt.date(d),
              },
            ]}
          />
        </Col>
      </Row>
    </>
  );
}
