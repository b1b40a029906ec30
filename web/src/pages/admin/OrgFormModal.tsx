/**
 * Create or edit an organisation; the USCC check character is hinted here, decided by the server.
 */
import { useEffect, useMemo } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOrgs, useSaveOrg } from '../../api/hooks';
import { ORG_TYPES, type OrgInput, type Organisation } from '../../api/types';
import { OrgSelect } from '../../components/OrgSelect';
import { subtreeIds } from '../../components/orgTree';
import { errorText, showOnField } from '../../components/serverErrors';
import { usccProblem } from '../../lib/uscc';

export interface OrgFormTarget {
  /** Present when editing. */
  org?: Organisation;
  /** Preselected parent when creating a child. */
  parentId?: string | null;
}

type Values = Omit<OrgInput, 'level' | 'shortCode'> & { level?: string; shortCode?: string };

export function OrgFormModal({
  target,
  onClose,
}: {
  target: OrgFormTarget | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveOrg();
  const orgs = useOrgs();
  const editing = target?.org;
  const exclude = useMemo(
    () => (editing ? subtreeIds(orgs.data ?? [], editing.id) : undefined),
    [editing, orgs.data],
  );

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    const o = target.org;
    form.setFieldsValue(
      o
        ? {
            name: o.name,
            code: o.code,
            type: o.type,
            parentId: o.parentId,
            level: o.level ?? undefined,
            shortCode: o.shortCode ?? undefined,
          }
        : { parentId: target.parentId ?? null, type: 'department' },
    );
  }, [target, form]);

  const submit = async (v: Values) => {
    const input: Partial<OrgInput> = {
      name: v.name.trim(),
      code: v.code.trim().toUpperCase(),
      type: v.type,
      parentId: v.parentId ?? null,
      level: v.level?.trim() || null,
      shortCode: v.shortCode?.trim() || null,
    };
    try {
      await save.mutateAsync({ id: editing?.id, input });
      void message.success(editing ? t('org.updated') : t('org.created'));
      onClose();
    } catch (e) {
      if (
        !showOnField(form, e, ['name', 'code', 'type', 'parentId', 'level', 'shortCode'], {
          uscc_check_digit: t('org.codeRefused'),
        })
      )
        void message.error(errorText(e));
    }
  };

  const codeHint = (_: unknown, value: string | undefined) => {
    if (!value) return Promise.resolve();
    const p = usccProblem(value.trim().toUpperCase());
    if (!p) return Promise.resolve();
    return Promise.reject(
      new Error(
        p.kind === 'shape'
          ? t('org.codeShape')
          : t(p.kind === 'check' ? 'org.codeCheck' : 'org.codeOrgCheck', { expected: p.expected }),
      ),
    );
  };

  return (
    <Modal
      open={!!target}
      title={editing ? t('org.edit') : t('org.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      forceRender
      width={560}
    >
      <Form form={form} name="org" layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('org.name')}
          name="name"
          rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          label={t('org.code')}
          name="code"
          validateFirst
          rules={[
            { required: true, message: t('org.codeRequired') },
            { validator: codeHint, warningOnly: true },
          ]}
        >
          <Input maxLength={18} className="gs-secret" placeholder="91330100MA2XXXXXXX" />
        </Form.Item>
        <Form.Item
          label={t('org.type')}
          name="type"
          rules={[{ required: true, message: t('org.typeRequired') }]}
        >
          <Select options={ORG_TYPES.map((v) => ({ value: v, label: t(`orgType.${v}`) }))} />
        </Form.Item>
        <Form.Item label={t('org.parent')} name="parentId">
          <OrgSelect placeholder={t('org.noParent')} exclude={exclude} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={`${t('org.level')} (${t('common.optional')})`} name="level">
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          label={`${t('org.shortCode')} (${t('common.optional')})`}
          name="shortCode"
          extra={t('org.shortCodeHint')}
          rules={[{ pattern: /^[a-z][a-z0-9]{1,15}$/, message: t('org.shortCodeHint') }]}
        >
          <Input maxLength={16} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
