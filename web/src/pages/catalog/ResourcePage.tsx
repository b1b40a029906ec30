/**
 * One catalog entry: its elements, fields, provider, lifecycle buttons, history, versions and diff.
 */
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
  Space,
  Tag,
  Timeline,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import { useFormat } from '../../lib/format';
import { transition, useResource } from './api';
import { FieldsTable } from './FieldsTable';
import { StatusTag } from './tags';
import { VersionsCard } from './VersionsCard';

const NEEDS_COMMENT = ['reject', 'retire'];

export function ResourcePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const res = useResource(id);
  const [action, setAction] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ comment: string }>();
  if (res.isError) return <LoadError error={res.error} />;
  const r = res.data;
  if (!r) return <Card loading />;
  const act = async () => {
    const checked = await form.validateFields().catch(() => null);
    if (!checked) return;
    const { comment } = checked;
    setBusy(true);
    try {
      await transition(r.id, action!, comment);
      void message.success(t('catalog.detail.done', { action: t(`catalog.action.${action}`) }));
      setAction(null);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['resources'] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div className="gs-page-head">
        <h1 data-testid="resource-name">
          {r.name} <StatusTag status={r.status} />
        </h1>
        <Space wrap data-testid="resource-actions">
          {r.actions.map((a) =>
            a === 'edit' ? (
              <Button key={a} onClick={() => navigate(`/catalog/${r.id}/edit`)}>
                {t('catalog.action.edit')}
              </Button>
            ) : (
              <Button
                key={a}
                type={a === 'reject' || a === 'retire' ? 'default' : 'primary'}
                danger={a === 'reject' || a === 'retire'}
                onClick={() => setAction(a)}
                data-testid={`action-${a}`}
              >
                {t(`catalog.action.${a}`)}
              </Button>
            ),
          )}
        </Space>
      </div>
      {r.publishedVersion !== null && r.publishedVersion !== r.version && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('catalog.detail.revision', { v: r.publishedVersion })}
        />
      )}
      <Card size="small">
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label={t('catalog.col.code')}>{r.code}</Descriptions.Item>
          <Descriptions.Item label={t('catalog.col.version')}>
            v{r.version}
            {r.publishedVersion
              ? ` · ${t('catalog.detail.publishedVersion', { v: r.publishedVersion })}`
              : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.summary')} span={2}>
            {r.summary}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.provider')}>
            {r.providerName}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.providerCode')}>
            {r.providerCode}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.col.category')}>
            {r.categoryCode} {r.categoryName}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.system')}>
            {r.sourceSystemId ? (
              <Link to={`/registry/systems/${r.sourceSystemId}`}>{r.sourceSystemName}</Link>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.col.shareType')}>
            {r.shareTypeName}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.col.openType')}>
            {t(`catalog.openType.${r.openType}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.shareConditions')}>
            {r.shareConditions ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.legalBasis')}>
            {r.legalBasis ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.col.level')}>
            {t(`catalog.level.${r.securityLevel}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.col.freq')}>
            {t(`catalog.freq.${r.updateFrequency}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.identifier')}>
            {t(`catalog.identifier.${r.identifierKind}`)}
            {r.identifierField ? ` · ${r.identifierField}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.detail.keywords')}>
            {r.keywords.map((k) => (
              <Tag key={k}>{k}</Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('catalog.detail.fields')} size="small" style={{ marginTop: 16 }}>
        <FieldsTable fields={r.fields} />
      </Card>
      <Card title={t('catalog.detail.history')} size="small" style={{ marginTop: 16 }}>
        <Timeline
          data-testid="history"
          items={r.history.map((h) => ({
            children: (
              <span>
                {fmt.dateTime(h.at)} · {h.actorName}（{h.actorOrg}） ·{' '}
                <b>{t(`catalog.action.${h.action}`, { defaultValue: h.action })}</b> →{' '}
                {t(`catalog.status.${h.toStatus}`)} · v{h.version}
                {h.comment ? ` · ${h.comment}` : ''}
              </span>
            ),
          }))}
        />
      </Card>
      <VersionsCard id={r.id} />
      <Modal
        open={!!action}
        title={
          action ? t('catalog.detail.commentTitle', { action: t(`catalog.action.${action}`) }) : ''
        }
        onOk={act}
        confirmLoading={busy}
        onCancel={() => setAction(null)}
        okButtonProps={{ 'data-testid': 'confirm-action' } as Record<string, string>}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="comment"
            label={t('catalog.detail.comment')}
            rules={
              action && NEEDS_COMMENT.includes(action)
                ? [
                    {
                      required: true,
                      whitespace: true,
                      message: t('catalog.detail.commentRequired'),
                    },
                  ]
                : []
            }
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="action-comment" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
