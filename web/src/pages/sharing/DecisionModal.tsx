/**
 * Approve or refuse the step waiting for this reviewer. A refusal must cite its basis [003 §13];
 * an approval may tighten masking per field and limit rows.
 */
import { useEffect, useMemo } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  MASK_RULES,
  useCatalogEntry,
  useDecide,
  type DecisionInput,
  type MaskRule,
  type ShareRequest,
} from '../../api/sharing';
import { errorText } from '../../components/serverErrors';
import { SensitivityTag } from './tags';
import { RowFilterList, rowFilterOf, type RowFilterRow } from './RowFilterList';

interface Values {
  decision: 'approve' | 'refuse';
  basis?: string;
  comment?: string;
  masking: Record<string, MaskRule>;
  rowFilter?: RowFilterRow[];
}

export function DecisionModal({
  request,
  open,
  initial,
  onClose,
}: {
  request: ShareRequest;
  open: boolean;
  initial: 'approve' | 'refuse';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const decide = useDecide();
  const entry = useCatalogEntry(request.resource.id);
  const decision = Form.useWatch('decision', form);
  const byName = useMemo(
    () => new Map((entry.data?.fields ?? []).map((f) => [f.name, f])),
    [entry.data],
  );
  const defaults = useMemo(() => {
    return Object.fromEntries(
      request.fields.map((n) => [n, (byName.get(n)?.masking ?? 'none') as MaskRule]),
    );
  }, [byName, request.fields]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ decision: initial, masking: defaults, rowFilter: [] });
  }, [open, initial, form, defaults]);

  const submit = async (v: Values) => {
    const input: DecisionInput = {
      decision: v.decision,
      basis: v.basis?.trim() || undefined,
      comment: v.comment?.trim() || undefined,
    };
    if (v.decision === 'approve') {
      const changed = Object.entries(v.masking ?? {}).filter(([n, r]) => r !== defaults[n]);
      if (changed.length) input.masking = Object.fromEntries(changed);
      input.rowFilter = rowFilterOf(v.rowFilter);
    }
    try {
      await decide.mutateAsync({ id: request.id, input });
      void message.success(
        v.decision === 'approve' ? t('sharing.review.approved') : t('sharing.review.refused'),
      );
      onClose();
    } catch (e) {
      const rule = e instanceof ApiError ? String(e.details.rule ?? '') : '';
      const field =
        e instanceof ApiError && typeof e.details.field === 'string' ? e.details.field : '';
      if (field === 'basis')
        form.setFields([{ name: 'basis', errors: [t('sharing.review.basisRequired')] }]);
      else void message.error(t(`sharing.review.rule.${rule}`, { defaultValue: errorText(e) }));
    }
  };

  return (
    <Modal
      open={open}
      title={t('sharing.review.decisionTitle', { name: request.resource.name })}
      onCancel={onClose}
      width={760}
      forceRender
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={decision === 'refuse'}
          loading={decide.isPending}
          onClick={() => form.submit()}
          data-testid="decision-submit"
        >
          {decision === 'refuse' ? t('sharing.review.refuse') : t('sharing.review.approve')}
        </Button>,
      ]}
    >
      <Form<Values> form={form} name="share-decision" layout="vertical" onFinish={submit}>
        <Form.Item label={t('sharing.review.decision')} name="decision">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'approve', label: t('sharing.review.approve') },
              { value: 'refuse', label: t('sharing.review.refuse') },
            ]}
          />
        </Form.Item>
        {decision === 'refuse' && (
          <Form.Item
            label={t('sharing.review.basis')}
            name="basis"
            extra={t('sharing.review.basisRequired')}
            rules={[
              { required: true, whitespace: true, message: t('sharing.review.basisRequired') },
            ]}
          >
            <Input.TextArea
              rows={3}
              maxLength={1000}
              placeholder={t('sharing.review.basisPlaceholder')}
            />
          </Form.Item>
        )}
        <Form.Item
          label={`${t('sharing.review.comment')} (${t('common.optional')})`}
          name="comment"
        >
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        {decision === 'approve' && (
          <>
            <Typography.Text strong>{t('sharing.review.masking')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('sharing.review.maskingHint')}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              style={{ marginBottom: 16 }}
              data-testid="decision-masking"
              dataSource={request.fields.map((name) => ({
                name,
                label: byName.get(name)?.label ?? name,
                sensitivity: byName.get(name)?.sensitivity,
              }))}
              columns={[
                {
                  title: t('sharing.form.label'),
                  key: 'label',
                  render: (_, f) => (
                    <>
                      {f.label}{' '}
                      <Typography.Text type="secondary" code>
                        {f.name}
                      </Typography.Text>
                    </>
                  ),
                },
                {
                  title: t('sharing.form.sensitivity'),
                  dataIndex: 'sensitivity',
                  width: 120,
                  render: (s?: string) => (s ? <SensitivityTag value={s} /> : '—'),
                },
                {
                  title: t('sharing.channel.masking'),
                  key: 'mask',
                  width: 180,
                  render: (_, f) => (
                    <Form.Item name={['masking', f.name]} noStyle>
                      <Select
                        style={{ width: 160 }}
                        aria-label={`${t('sharing.channel.masking')} ${f.label}`}
                        options={MASK_RULES.map((r) => ({
                          value: r,
                          label: t(`sharing.mask.${r}`),
                        }))}
                      />
                    </Form.Item>
                  ),
                },
              ]}
            />
            <Form.Item
              label={t('sharing.review.rowFilter')}
              extra={t('sharing.form.rowFilterHint')}
            >
              {request.rowFilter && (
                <Alert
                  type="info"
                  style={{ marginBottom: 8 }}
                  title={Object.entries(request.rowFilter)
                    .map(([k, v]) => `${byName.get(k)?.label ?? k} ∈ ${v.join('、')}`)
                    .join('；')}
                />
              )}
              <RowFilterList
                options={request.fields.map((n) => ({
                  value: n,
                  label: byName.get(n)?.label ?? n,
                }))}
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
