import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CatalogField } from './api';

/** The fields (信息项) of an entry, with sensitivity, personal-data kind and default masking. */
export function FieldsTable({
  fields,
  highlight = {},
}: {
  fields: CatalogField[];
  highlight?: Record<string, 'added' | 'removed' | 'changed'>;
}) {
  const { t } = useTranslation();
  const color = { added: '#f6ffed', removed: '#fff1f0', changed: '#fffbe6' };
  return (
    <Table<CatalogField>
      size="small"
      rowKey="name"
      dataSource={fields}
      pagination={false}
      data-testid="fields-table"
      onRow={(f) => ({
        style: highlight[f.name] ? { background: color[highlight[f.name]] } : undefined,
      })}
      columns={[
        {
          title: t('catalog.fieldCol.name'),
          dataIndex: 'name',
          render: (n: string) => <code>{n}</code>,
        },
        { title: t('catalog.fieldCol.label'), dataIndex: 'label' },
        {
          title: t('catalog.fieldCol.type'),
          dataIndex: 'type',
          render: (v: string, f) =>
            `${t(`catalog.fieldType.${v}`)}${f.length ? `(${f.length})` : ''}`,
        },
        {
          title: t('catalog.fieldCol.required'),
          dataIndex: 'required',
          render: (v: boolean) => (v ? '✓' : ''),
        },
        {
          title: t('catalog.fieldCol.sensitivity'),
          dataIndex: 'sensitivity',
          render: (v: string) => (
            <Tag color={v === 'personal' ? 'red' : v === 'sensitive' ? 'orange' : 'default'}>
              {t(`catalog.sensitivity.${v}`)}
            </Tag>
          ),
        },
        {
          title: t('catalog.fieldCol.pii'),
          dataIndex: 'piiKind',
          render: (v: string | null) => (v ? t(`catalog.pii.${v}`) : ''),
        },
        {
          title: t('catalog.fieldCol.masking'),
          dataIndex: 'masking',
          render: (v: string | null) => (v ? t(`catalog.masking.${v}`) : ''),
        },
        { title: t('catalog.fieldCol.description'), dataIndex: 'description', ellipsis: true },
      ]}
    />
  );
}
