/**
 * 申请共享: a request for a published catalog entry — opened from the entry (`?resource=<id>`) or
 * with a picker. Fields are ticked in a table showing sensitivity and default masking (minimum
 * scope); the profile decides who reviews and in how many working days, shown before submitting.
 */
import { useEffect, useMemo, useState } from 'react';
import type { NamePath } from 'antd/es/form/interface';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/hooks';
import {
  DELIVERIES,
  useCatalogEntry,
  useCatalogSearch,
  useCreateShareRequest,
  useProfile,
  type CatalogEntry,
  type Delivery,
  type Profile,
  type RequestCreate,
} from '../../api/sharing';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import { FieldPicker } from './FieldPicker';
import { RowFilterList, rowFilterOf, type RowFilterRow } from './RowFilterList';

interface Values {
  fields: string[];
  purpose: string;
  scenario: string;
  legalBasis?: string;
  until: Dayjs;
  delivery: Delivery;
  push?: { endpoint?: string; schedule?: 'hourly' | 'daily' };
  rowFilter?: RowFilterRow[];
}

/** The kind of share a catalog entry is under the active profile, and how it is reviewed. */
function workflowOf(profile: Profile | undefined, shareType: string) {
  const type = profile?.shareTypes.find((s) => s.code === shareType);
  const kind = type?.kind ?? 'conditional';
  const flow =
    profile?.workflow[kind === 'not-shared' ? 'conditional' : kind] ??
    profile?.workflow.conditional;
  const reviewers =
    !flow || flow.reviewer === 'none'
      ? []
      : Array.isArray(flow.reviewer)
        ? flow.reviewer
        : [flow.reviewer];
  return {
    type,
    kind,
    reviewers,
    answerDays: flow?.answerDays ?? null,
    needsBasis: !!type?.needsReview || kind !== 'unconditional',
  };
}

/**
 * The form names a server error points at: `push.endpoint` → ['push','endpoint'], `fields.3` →
 * 'fields'.
 */
function formName(field: string): NamePath<Values> | null {
  const [head, sub] = field
    .replace(/^\/?body\/?/, '')
    .split(/[./]/)
    .filter(Boolean);
  if (head === 'push' && (sub === 'endpoint' || sub === 'schedule')) return ['push', sub];
  if (head === 'resourceId') return 'fields';
  const top = ['fields', 'purpose', 'scenario', 'legalBasis', 'until', 'delivery'] as const;
  return top.find((n) => n === head) ?? null;
}

export function RequestFormPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const resourceId = params.get('resource') ?? undefined;
  const entry = useCatalogEntry(resourceId);
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('sharing.form.title')}</h1>
      </div>
      <Card style={{ marginBottom: 16 }}>
        <ResourcePicker
          value={resourceId}
          onChange={(id) => setParams(id ? { resource: id } : {})}
          current={entry.data}
        />
      </Card>
      {!resourceId ? (
        <Empty description={t('sharing.form.noResource')} />
      ) : entry.isPending ? (
        <Skeleton active />
      ) : entry.isError ? (
        <LoadError error={entry.error} />
      ) : (
        <RequestForm key={entry.data.id} entry={entry.data} />
      )}
    </>
  );
}

function ResourcePicker({
  value,
  onChange,
  current,
}: {
  value?: string;
  onChange: (id: string | undefined) => void;
  current?: CatalogEntry;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const search = useCatalogSearch(q);
  const options = useMemo(() => {
    const list = (search.data?.items ?? []).map((r) => ({
      value: r.id,
      label: `${r.name} · ${r.providerName}`,
    }));
    if (current && !list.some((o) => o.value === current.id))
      list.unshift({ value: current.id, label: `${current.name} · ${current.providerName}` });
    return list;
  }, [search.data, current]);
  return (
    <Form layout="vertical" name="share-resource">
      <Form.Item
        label={t('sharing.form.resource')}
        htmlFor="share-resource-pick"
        style={{ marginBottom: 0 }}
      >
        <Select
          id="share-resource-pick"
          showSearch={{ filterOption: false, onSearch: setQ }}
          allowClear
          value={value}
          onChange={(v?: string) => onChange(v)}
          placeholder={t('sharing.form.pickResource')}
          options={options}
          loading={search.isFetching}
          style={{ maxWidth: 640 }}
          data-testid="resource-pick"
        />
      </Form.Item>
    </Form>
  );
}

function RequestForm({ entry }: { entry: CatalogEntry }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const me = useMe();
  const profile = useProfile();
  const create = useCreateShareRequest();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const delivery = Form.useWatch('delivery', form);
  const zh = i18n.language !== 'en-US';
  const flow = workflowOf(profile.data, entry.shareType);
  const verifyOnly = flow.kind === 'not-shared';
  const own = me.data?.organisation.id === entry.providerOrgId;
  const labels = new Map(entry.fields.map((f) => [f.name, f.label]));

  useEffect(() => {
    form.setFieldsValue({
      delivery: verifyOnly ? 'verify' : 'api',
      until: dayjs().add(1, 'year'),
      fields: [],
      push: { schedule: 'daily' },
    });
  }, [form, verifyOnly]);

  const who = flow.reviewers.map((r) => t(`sharing.reviewer.${r}`)).join(' → ');
  const profileName = profile.data ? (zh ? profile.data.name.zh : profile.data.name.en) : '';
  const workflowText = !profile.data
    ? ''
    : flow.reviewers.length === 0
      ? t('sharing.form.selfService')
      : flow.answerDays != null
        ? t('sharing.form.workflow', { who, days: flow.answerDays, profile: profileName })
        : t('sharing.form.workflowNoDeadline', { who, profile: profileName });

  const submit = async (v: Values) => {
    setProblem(null);
    const input: RequestCreate = {
      resourceId: entry.id,
      fields: v.fields,
      purpose: v.purpose.trim(),
      scenario: v.scenario.trim(),
      legalBasis: v.legalBasis?.trim() || undefined,
      until: v.until.format('YYYY-MM-DD'),
      delivery: v.delivery,
      rowFilter: rowFilterOf(v.rowFilter),
      push:
        v.delivery === 'push'
          ? { endpoint: (v.push?.endpoint ?? '').trim(), schedule: v.push?.schedule ?? 'daily' }
          : undefined,
    };
    try {
      const created = await create.mutateAsync(input);
      void message.success(t('sharing.form.submitted'));
      void navigate(`/sharing/requests/${created.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SHARE_NOT_REQUESTABLE') {
        setProblem(
          e.details.rule === 'named_recipients_only'
            ? t('sharing.form.namedOnly')
            : t('sharing.form.notRequestable'),
        );
        return;
      }
      const field =
        e instanceof ApiError && typeof e.details.field === 'string' ? e.details.field : null;
      const name = field ? formName(field) : null;
      if (e instanceof ApiError && name) {
        const rule = String(e.details.rule ?? '');
        const text =
          rule === 'identifier_required_to_verify'
            ? t('sharing.form.verifyNeedsIdentifier', {
                field:
                  labels.get(String(e.details.identifier)) ?? String(e.details.identifier ?? ''),
              })
            : t(`sharing.form.rule.${rule}`, { defaultValue: e.message });
        form.setFields([{ name, errors: [text] }]);
        form.scrollToField(name);
      } else {
        setProblem(errorText(e));
      }
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={entry.name}
        extra={<Typography.Text type="secondary">{entry.code}</Typography.Text>}
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'p', label: t('sharing.form.provider'), children: entry.providerName },
            {
              key: 's',
              label: t('sharing.form.shareType'),
              children: flow.type
                ? zh
                  ? flow.type.zh
                  : flow.type.en
                : (entry.shareTypeName ?? entry.shareType),
            },
            ...(entry.shareConditions
              ? [{ key: 'c', label: t('sharing.form.conditions'), children: entry.shareConditions }]
              : []),
            ...(entry.legalBasis
              ? [
                  {
                    key: 'l',
                    label: t('sharing.form.resourceLegalBasis'),
                    children: entry.legalBasis,
                  },
                ]
              : []),
          ]}
        />
        {entry.summary && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {entry.summary}
          </Typography.Paragraph>
        )}
        {workflowText && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            showIcon
            title={workflowText}
            data-testid="workflow-hint"
          />
        )}
        {verifyOnly && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={t('sharing.form.notRequestable')}
          />
        )}
        {entry.status !== 'published' && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            title={t('sharing.form.notPublished')}
          />
        )}
        {own && (
          <Alert style={{ marginTop: 12 }} type="warning" showIcon title={t('sharing.form.own')} />
        )}
      </Card>
      {problem && (
        <Alert
          type="error"
          showIcon
          title={problem}
          closable
          onClose={() => setProblem(null)}
          data-testid="request-problem"
        />
      )}
      <Card>
        <Form<Values>
          form={form}
          name="share-request"
          layout="vertical"
          onFinish={submit}
          scrollToFirstError
          style={{ maxWidth: 960 }}
        >
          <Form.Item
            label={t('sharing.form.fields')}
            name="fields"
            extra={t('sharing.form.fieldsHint')}
            rules={[
              { required: true, type: 'array', min: 1, message: t('sharing.form.fieldsRequired') },
            ]}
          >
            <FieldPicker fields={entry.fields} identifier={entry.identifierField} />
          </Form.Item>
          <Form.Item
            label={t('sharing.form.purpose')}
            name="purpose"
            rules={[
              {
                required: true,
                whitespace: true,
                min: 2,
                message: t('sharing.form.purposeRequired'),
              },
            ]}
          >
            <Input.TextArea
              rows={2}
              maxLength={1000}
              showCount
              placeholder={t('sharing.form.purposePlaceholder')}
            />
          </Form.Item>
          <Form.Item
            label={t('sharing.form.scenario')}
            name="scenario"
            rules={[
              {
                required: true,
                whitespace: true,
                min: 2,
                message: t('sharing.form.scenarioRequired'),
              },
            ]}
          >
            <Input.TextArea
              rows={2}
              maxLength={1000}
              showCount
              placeholder={t('sharing.form.scenarioPlaceholder')}
            />
          </Form.Item>
          <Form.Item
            label={
              flow.needsBasis
                ? t('sharing.form.legalBasis')
                : `${t('sharing.form.legalBasis')} (${t('common.optional')})`
            }
            name="legalBasis"
            extra={
              flow.needsBasis
                ? t('sharing.form.legalBasisRequired')
                : t('sharing.form.legalBasisOptional')
            }
            rules={
              flow.needsBasis
                ? [
                    {
                      required: true,
                      whitespace: true,
                      message: t('sharing.form.legalBasisRequired'),
                    },
                  ]
                : []
            }
          >
            <Input.TextArea
              rows={2}
              maxLength={1000}
              placeholder={t('sharing.form.legalBasisPlaceholder')}
            />
          </Form.Item>
          <Form.Item
            label={t('sharing.form.until')}
            name="until"
            rules={[{ required: true, message: t('sharing.form.untilRequired') }]}
          >
            <DatePicker
              disabledDate={(d) => !d.isAfter(dayjs(), 'day')}
              allowClear={false}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item
            label={t('sharing.form.delivery')}
            name="delivery"
            rules={[{ required: true }]}
          >
            <Radio.Group>
              <Space orientation="vertical">
                {DELIVERIES.map((d) => (
                  <Radio key={d} value={d} disabled={verifyOnly && d !== 'verify'}>
                    {t(`sharing.delivery.${d}`)}{' '}
                    <Typography.Text type="secondary">
                      — {t(`sharing.deliveryHint.${d}`)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          {delivery === 'push' && (
            <Space align="start" wrap>
              <Form.Item
                label={t('sharing.form.pushEndpoint')}
                name={['push', 'endpoint']}
                extra={t('sharing.form.pushEndpointHint')}
                rules={[
                  { required: true, message: t('sharing.form.pushEndpointRequired') },
                  { type: 'url', message: t('sharing.form.rule.format') },
                ]}
              >
                <Input style={{ width: 440 }} placeholder="https://" maxLength={500} />
              </Form.Item>
              <Form.Item label={t('sharing.form.pushSchedule')} name={['push', 'schedule']}>
                <Select
                  style={{ width: 140 }}
                  options={(['daily', 'hourly'] as const).map((s) => ({
                    value: s,
                    label: t(`sharing.schedule.${s}`),
                  }))}
                />
              </Form.Item>
            </Space>
          )}
          <Form.Item label={t('sharing.form.rowFilter')} extra={t('sharing.form.rowFilterHint')}>
            <RowFilterList
              options={entry.fields.map((f) => ({
                value: f.name,
                label: `${f.label} (${f.name})`,
              }))}
            />
          </Form.Item>
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={create.isPending}
              disabled={own || entry.status !== 'published'}
              data-testid="request-submit"
            >
              {t('sharing.form.submit')}
            </Button>
            <Link to="/sharing/requests">
              <Button>{t('common.cancel')}</Button>
            </Link>
          </Space>
        </Form>
      </Card>
    </Space>
  );
}
