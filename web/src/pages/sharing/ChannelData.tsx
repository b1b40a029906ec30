/**
 * Reading through a channel as the consumer: a masked preview with field=value search and cursor
 * paging, export links (the browser streams them with the session), and the 核验 form for
 * verification-only channels.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Result, Select, Space, Table, Typography } from 'antd';
import {
  DownloadOutlined,
  LeftOutlined,
  RightOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { exportUrl, useChannelRecords, useVerify, type Channel } from '../../api/sharing';
import { errorText } from '../../components/serverErrors';

const EXPORTS = [
  ['csv', 'CSV'],
  ['ndjson', 'NDJSON'],
  ['xlsx', 'XLSX'],
] as const;

export function ChannelPreview({
  channel,
  labels,
}: {
  channel: Channel;
  labels: Map<string, string>;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<Record<string, string>>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const records = useChannelRecords(channel.id, query, cursor, true);
  const [form] = Form.useForm<{ field?: string; value?: string }>();
  const label = (n: string) => labels.get(n) ?? n;
  // Only fields the channel shows unmasked may be searched: the server refuses a comparison on a
  // masked field, as it would give the hidden part back one guess at a time.
  const searchable = channel.fields.filter((f) => (channel.masking[f] ?? 'none') === 'none');

  const search = (v: { field?: string; value?: string }) => {
    setCursors([null]);
    setQuery(v.field && v.value?.trim() ? { [v.field]: v.value.trim() } : {});
  };
  const refused = records.error instanceof ApiError ? records.error : null;

  return (
    <Card
      title={t('sharing.channel.preview')}
      data-testid="channel-preview"
      extra={
        channel.delivery === 'export' ? (
          <Space wrap>
            <Typography.Text type="secondary">{t('sharing.channel.export')}</Typography.Text>
            {EXPORTS.map(([format, name]) => (
              <Button
                key={format}
                size="small"
                icon={<DownloadOutlined />}
                href={exportUrl(channel.id, format)}
                download
                data-testid={`export-${format}`}
              >
                {name}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary" data-testid="export-not-approved">
            {t('sharing.channel.exportNotApproved')}
          </Typography.Text>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {t('sharing.channel.previewHint')}
      </Typography.Paragraph>
      {searchable.length === 0 ? (
        <Typography.Paragraph type="secondary" data-testid="preview-no-search">
          {t('sharing.channel.noSearch')}
        </Typography.Paragraph>
      ) : (
        <Form
          form={form}
          layout="inline"
          name="channel-search"
          onFinish={search}
          style={{ marginBottom: 12, rowGap: 8 }}
          initialValues={{ field: searchable[0] }}
        >
          <Form.Item
            label={t('sharing.channel.searchField')}
            name="field"
            tooltip={t('sharing.channel.searchUnmasked')}
          >
            <Select
              style={{ width: 200 }}
              data-testid="preview-field"
              options={searchable.map((f) => ({ value: f, label: label(f) }))}
            />
          </Form.Item>
          <Form.Item label={t('sharing.channel.searchValue')} name="value">
            <Input allowClear style={{ width: 240 }} data-testid="preview-value" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" ghost htmlType="submit" data-testid="preview-search">
                {t('sharing.channel.search')}
              </Button>
              <Button
                onClick={() => {
                  form.setFieldValue('value', '');
                  search({});
                }}
              >
                {t('sharing.channel.clear')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      )}
      {refused && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={refused.message}
          data-testid="preview-error"
        />
      )}
      <Table<Record<string, unknown>>
        size="small"
        rowKey={(_, i) => `${cursor ?? 0}-${i}`}
        loading={records.isFetching}
        dataSource={refused ? [] : (records.data?.items ?? [])}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('sharing.channel.noRows') }}
        data-testid="preview-table"
        columns={channel.fields.map((f) => ({
          title: label(f),
          dataIndex: f,
          key: f,
          render: (v: unknown) => (
            <span
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
            >
              {v == null ? '—' : String(v)}
            </span>
          ),
        }))}
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          icon={<LeftOutlined />}
          disabled={cursors.length < 2}
          onClick={() => setCursors([null])}
        >
          {t('sharing.channel.first')}
        </Button>
        <Button
          disabled={!records.data?.nextCursor}
          onClick={() => setCursors([...cursors, records.data!.nextCursor])}
          data-testid="preview-next"
        >
          {t('sharing.channel.next')} <RightOutlined />
        </Button>
      </Space>
    </Card>
  );
}

export function VerifyForm({ channel, labels }: { channel: Channel; labels: Map<string, string> }) {
  const { t } = useTranslation();
  const verify = useVerify(channel.id);
  const [form] = Form.useForm<Record<string, string>>();
  const submit = (v: Record<string, string>) => {
    const match = Object.fromEntries(
      Object.entries(v)
        .map(([k, x]) => [k, (x ?? '').trim()])
        .filter(([, x]) => x),
    );
    verify.mutate(match);
  };
  return (
    <Card
      title={
        <>
          <SafetyCertificateOutlined /> {t('sharing.channel.verify')}
        </>
      }
      data-testid="verify-card"
    >
      <Typography.Paragraph type="secondary">
        {t('sharing.channel.verifyHint')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        name="channel-verify"
        onFinish={submit}
        style={{ maxWidth: 520 }}
        onValuesChange={() => verify.reset()}
      >
        {channel.fields.map((f) => (
          <Form.Item key={f} label={labels.get(f) ?? f} name={f}>
            <Input allowClear placeholder={t('sharing.channel.verifyValue')} />
          </Form.Item>
        ))}
        <Button
          type="primary"
          htmlType="submit"
          loading={verify.isPending}
          data-testid="verify-submit"
        >
          {t('sharing.channel.verifySubmit')}
        </Button>
      </Form>
      {verify.data && (
        <Result
          style={{ padding: '16px 0 0' }}
          status={verify.data.match ? 'success' : 'warning'}
          data-testid="verify-result"
          data-match={String(verify.data.match)}
          title={verify.data.match ? t('sharing.channel.verifyYes') : t('sharing.channel.verifyNo')}
        />
      )}
      {verify.isError && (
        <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(verify.error)} />
      )}
    </Card>
  );
}
