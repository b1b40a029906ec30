/**
 * 审计: the ledger with filters (actor, organisation, action, time), server paging, and chain
 * verification.
 */
import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAudit, useOrgs, useVerifyAudit, type AuditFilter } from '../../api/hooks';
import type { AuditEntry } from '../../api/types';
import { OrgSelect } from '../../components/OrgSelect';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import { useFormat } from '../../lib/format';

interface FilterValues {
  actor?: string;
  org?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const OUTCOME_COLOR: Record<string, string> = {
  success: 'green',
  failure: 'orange',
  denied: 'red',
  error: 'red',
};

export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [filter, setFilter] = useState<AuditFilter>({ page: 1, pageSize: 20 });
  const audit = useAudit(filter);
  const orgs = useOrgs();
  const verify = useVerifyAudit();
  const orgName = useMemo(() => new Map((orgs.data ?? []).map((o) => [o.id, o.name])), [orgs.data]);

  const apply = (v: FilterValues) =>
    setFilter({
      page: 1,
      pageSize: filter.pageSize,
      actor: v.actor?.trim() || undefined,
      org: v.org || undefined,
      action: v.action?.trim() || undefined,
      from: v.range?.[0]?.toISOString(),
      to: v.range?.[1]?.toISOString(),
    });
  if (audit.isError && !audit.data) return <LoadError error={audit.error} />;

  const result = verify.data;
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('audit.title')}</h1>
        <Button
          icon={<SafetyCertificateOutlined />}
          onClick={() => verify.mutate()}
          loading={verify.isPending}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      </div>
      {result && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable
          role="status"
          data-testid="audit-verify-result"
          data-ok={String(result.ok)}
          type={result.ok ? 'success' : 'error'}
          title={
            result.ok
              ? t('audit.verifyOk', { entries: fmt.number(result.entries) })
              : t('audit.verifyBad', {
                  seq: result.firstBadEntry?.seq,
                  reason: result.firstBadEntry?.reason,
                })
          }
          description={
            !result.ok && result.firstBadEntry?.at
              ? t('audit.verifyBadAt', {
                  at: fmt.dateTime(result.firstBadEntry.at),
                  action: result.firstBadEntry.action ?? '—',
                })
              : undefined
          }
          onClose={() => verify.reset()}
        />
      )}
      {verify.isError && (
        <Alert style={{ marginBottom: 16 }} type="error" showIcon title={errorText(verify.error)} />
      )}
      <Form<FilterValues>
        layout="inline"
        name="audit-filter"
        onFinish={apply}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label={t('audit.actor')} name="actor">
          <Input allowClear placeholder={t('audit.actorPlaceholder')} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('audit.org')} name="org">
          <OrgSelect placeholder={t('common.all')} />
        </Form.Item>
        <Form.Item label={t('audit.action')} name="action">
          <Input allowClear placeholder={t('audit.actionPlaceholder')} style={{ width: 190 }} />
        </Form.Item>
        <Form.Item label={t('audit.time')} name="range">
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="audit-search">
              {t('common.search')}
            </Button>
            <Button
              htmlType="reset"
              onClick={() => setFilter({ page: 1, pageSize: filter.pageSize })}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        loading={audit.isFetching}
        dataSource={audit.data?.items ?? []}
        scroll={{ x: 1100 }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) =>
            t(audit.data?.totalExact === false ? 'common.totalOver' : 'common.total', {
              total: fmt.number(total),
            }),
          onChange: (page, pageSize) => setFilter({ ...filter, page, pageSize }),
        }}
        expandable={{
          expandedRowRender: (e) => (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('audit.requestId')}>
                {e.requestId ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.hash')}>
                <code>{e.hash}</code>
              </Descriptions.Item>
              <Descriptions.Item label={t('common.details')}>
                <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {JSON.stringify(e.details ?? {}, null, 2)}
                </pre>
              </Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          {
            title: t('audit.seq'),
            dataIndex: 'seq',
            width: 80,
            render: (v: number) => fmt.number(v),
          },
          {
            title: t('audit.at'),
            dataIndex: 'at',
            width: 180,
            render: (v: string) => fmt.dateTime(v),
          },
          {
            title: t('audit.actor'),
            dataIndex: 'actorName',
            render: (v: string | null, e) => (
              <Space size={4}>
                {v ?? '—'}
                {e.actorKind && e.actorKind !== 'user' && <Tag>{e.actorKind}</Tag>}
              </Space>
            ),
          },
          {
            title: t('audit.org'),
            dataIndex: 'orgId',
            render: (v: string | null) => (v ? (orgName.get(v) ?? v.slice(0, 8)) : '—'),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v: string) => (
              <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('audit.target'),
            key: 'target',
            render: (_, e) =>
              e.targetType
                ? `${e.targetType}${e.targetId ? ` · ${e.targetId.slice(0, 12)}` : ''}`
                : '—',
          },
          {
            title: t('audit.outcome'),
            dataIndex: 'outcome',
            width: 100,
            render: (v: string) => (
              <Tag color={OUTCOME_COLOR[v] ?? 'default'}>
                {t(`home.outcome.${v}`, { defaultValue: v })}
              </Tag>
            ),
          },
          {
            title: t('audit.ip'),
            dataIndex: 'clientIp',
            width: 130,
            render: (v: string | null) => v ?? '—',
          },
        ]}
      />
    </>
  );
}
