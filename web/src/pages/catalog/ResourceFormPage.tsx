/**
 * New and edit form of a catalog entry, checked in the browser and, by the same rules, on the
 * server.
 */
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  TreeSelect,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import { useCategories, useProfile, useResource, type CatalogField, type Resource } from './api';

const FIELD_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean'];
const SENSITIVITIES = ['public', 'internal', 'sensitive', 'personal'];
const PII = ['id_card', 'mobile', 'name', 'address', 'bank_card', 'plate', 'uscc', 'email'];
const MASKS = ['none', 'partial', 'hash', 'generalise', 'truncate'];
const OPEN = ['open', 'conditional_open', 'not_open'];
const LEVELS = ['general', 'important', 'core'];
const FREQS = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'];
const IDS = ['id_card', 'uscc', 'coordinate', 'unified_code', 'none'];
const CONTENT = [
  'name',
  'summary',
  'categoryCode',
  'identifierKind',
  'identifierField',
  'shareType',
  'shareConditions',
  'legalBasis',
  'openType',
  'securityLevel',
  'updateFrequency',
  'keywords',
  'fields',
] as const;

type Values = Omit<Resource, 'fields'> & { fields: CatalogField[]; comment?: string };
const EMPTY_FIELD: CatalogField = {
  name: '',
  label: '',
  type: 'string',
  required: false,
  sensitivity: 'internal',
  piiKind: null,
  masking: 'none',
};

export function ResourceFormPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const existing = useResource(id);
  const categories = useCategories();
  const profile = useProfile();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const shareType = Form.useWatch('shareType', form);
  const fields = Form.useWatch('fields', form) ?? [];
  const kind = profile.data?.shareTypes.find((s) => s.code === shareType);
  const needsBasis = !!kind && (kind.kind !== 'unconditional' || kind.needsLegalBasis);
  const needsConditions = !!kind && (kind.kind === 'conditional' || kind.kind === 'special');
  useEffect(() => {
    if (existing.data) form.setFieldsValue(existing.data as unknown as Values);
  }, [existing.data, form]);
  if (id && existing.isError) return <LoadError error={existing.error} />;
  const opt = (group: string, list: string[]) =>
    list.map((v) => ({ value: v, label: t(`catalog.${group}.${v}`) }));
  const tree = (categories.data ?? []).map((c) => ({
    value: c.code,
    title: `${c.code} ${i18n.language === 'en-US' ? c.nameEn : c.name}`,
    children: (c.children ?? []).map((x) => ({
      value: x.code,
      title: `${x.code} ${i18n.language === 'en-US' ? x.nameEn : x.name}`,
    })),
  }));

  const save = async () => {
    setError(null);
    if (!(await form.validateFields().catch(() => null))) return; // the form shows what is wrong
    // Everything in the store, so attributes without an input here (pattern, enum values, range,
    // validator) are kept.
    const values = form.getFieldsValue(true) as Values;
    const body: Record<string, unknown> = Object.fromEntries(
      CONTENT.map((k) => [k, values[k as keyof Values] ?? null]),
    );
    body.keywords = values.keywords ?? [];
    body.fields = (values.fields ?? []).map((f) =>
      Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')),
    );
    if (id && values.comment) body.comment = values.comment;
    setSaving(true);
    try {
      const saved = await api<Resource>(id ? `/resources/${id}` : '/resources', {
        method: id ? 'PATCH' : 'POST',
        body,
      });
      await qc.invalidateQueries({ queryKey: ['resources'] });
      void message.success(t('catalog.form.saved', { v: saved.version }));
      void navigate(`/catalog/${saved.id}`);
    } catch (e) {
      const field = e instanceof ApiError ? String(e.details.field ?? '') : '';
      const path = field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      if (field && (CONTENT as readonly string[]).includes(String(path[0])))
        form.setFields([
          {
            name: path as never,
            errors: [`${errorText(e)}（${String((e as ApiError).details.rule ?? '')}）`],
          },
        ]);
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <div className="gs-page-head">
        <h1>
          {id
            ? t('catalog.form.editTitle', { code: existing.data?.code ?? '' })
            : t('catalog.form.newTitle')}
        </h1>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 12 }}
          data-testid="form-error"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          identifierKind: 'none',
          openType: 'not_open',
          securityLevel: 'general',
          updateFrequency: 'monthly',
          keywords: [],
          fields: [EMPTY_FIELD],
        }}
      >
        <Card title={t('catalog.form.basics')} size="small">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={t('catalog.form.name')}
                rules={[
                  { required: true, whitespace: true, message: t('catalog.form.required') },
                  { max: 200 },
                ]}
              >
                <Input data-testid="f-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="categoryCode"
                label={t('catalog.form.category')}
                rules={[{ required: true, message: t('catalog.form.required') }]}
              >
                <TreeSelect treeData={tree} treeDefaultExpandAll data-testid="f-category" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="summary"
                label={t('catalog.form.summary')}
                rules={[
                  { required: true, whitespace: true, message: t('catalog.form.required') },
                  { max: 2000 },
                ]}
              >
                <Input.TextArea rows={2} data-testid="f-summary" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="identifierKind" label={t('catalog.form.identifierKind')}>
                <Select options={opt('identifier', IDS)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="identifierField" label={t('catalog.form.identifierField')}>
                <Select
                  allowClear
                  options={fields
                    .filter((f) => f?.name)
                    .map((f) => ({ value: f.name, label: `${f.label} (${f.name})` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="keywords" label={t('catalog.form.keywords')}>
                <Select mode="tags" tokenSeparators={[',', '，', '、']} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('catalog.form.sharing')} size="small" style={{ marginTop: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item
                name="shareType"
                label={t('catalog.form.shareType')}
                rules={[{ required: true, message: t('catalog.form.required') }]}
              >
                <Select
                  data-testid="f-shareType"
                  options={(profile.data?.shareTypes ?? []).map((s) => ({
                    value: s.code,
                    label: i18n.language === 'en-US' ? s.en : s.zh,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="openType" label={t('catalog.form.openType')}>
                <Select options={opt('openType', OPEN)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="securityLevel" label={t('catalog.form.level')}>
                <Select options={opt('level', LEVELS)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="updateFrequency" label={t('catalog.form.freq')}>
                <Select options={opt('freq', FREQS)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="shareConditions"
                label={t('catalog.form.shareConditions')}
                rules={
                  needsConditions
                    ? [
                        {
                          required: true,
                          whitespace: true,
                          message: t('catalog.form.conditionsNeeded'),
                        },
                      ]
                    : []
                }
              >
                <Input.TextArea rows={2} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="legalBasis"
                label={t('catalog.form.legalBasis')}
                rules={
                  needsBasis
                    ? [
                        {
                          required: true,
                          whitespace: true,
                          message: t('catalog.form.legalBasisNeeded'),
                        },
                      ]
                    : []
                }
              >
                <Input.TextArea rows={2} data-testid="f-legalBasis" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t('catalog.form.fields')} size="small" style={{ marginTop: 16 }}>
          <Form.List
            name="fields"
            rules={[
              {
                validator: async (_, v) => {
                  if (!v?.length) throw new Error(t('catalog.form.fieldsNeeded'));
                },
              },
            ]}
          >
            {(items, { add, remove }) => (
              <>
                {items.map(({ key, name }) => (
                  <Space key={key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item
                      name={[name, 'name']}
                      rules={[
                        {
                          required: true,
                          pattern: /^[a-z][a-z0-9_]{0,62}$/,
                          message: t('catalog.form.fieldName'),
                        },
                      ]}
                    >
                      <Input placeholder={t('catalog.fieldCol.name')} style={{ width: 150 }} />
                    </Form.Item>
                    <Form.Item
                      name={[name, 'label']}
                      rules={[
                        { required: true, whitespace: true, message: t('catalog.form.required') },
                      ]}
                    >
                      <Input placeholder={t('catalog.fieldCol.label')} style={{ width: 150 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'type']}>
                      <Select options={opt('fieldType', FIELD_TYPES)} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'length']}>
                      <InputNumber
                        min={1}
                        placeholder={t('catalog.fieldCol.length')}
                        style={{ width: 90 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'sensitivity']}>
                      <Select options={opt('sensitivity', SENSITIVITIES)} style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'piiKind']}>
                      <Select
                        allowClear
                        placeholder={t('catalog.fieldCol.pii')}
                        options={opt('pii', PII)}
                        style={{ width: 140 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'masking']}>
                      <Select
                        allowClear
                        placeholder={t('catalog.fieldCol.masking')}
                        options={opt('masking', MASKS)}
                        style={{ width: 110 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'required']} valuePropName="checked">
                      <Checkbox>{t('catalog.fieldCol.required')}</Checkbox>
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => remove(name)}
                      aria-label="remove"
                    />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ ...EMPTY_FIELD })}>
                  {t('catalog.form.addField')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        {id && (
          <Form.Item name="comment" label={t('catalog.form.comment')} style={{ marginTop: 16 }}>
            <Input maxLength={1000} data-testid="f-comment" />
          </Form.Item>
        )}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" loading={saving} onClick={save} data-testid="save">
            {t('catalog.form.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('catalog.form.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
