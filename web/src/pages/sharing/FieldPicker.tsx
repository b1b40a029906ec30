/**
 * The fields of a catalog entry as a checkbox table: label, type, sensitivity and the masking
 * applied by default.
 */
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CatalogField } from '../../api/sharing';
import { MaskTag, SensitivityTag } from './tags';

interface Props {
  fields: CatalogField[];
  identifier?: string | null;
  value?: string[];
  onChange?: (names: string[]) => void;
  id?: string;
}

export function FieldPicker({ fields, identifier, value = [], onChange, id }: Props) {
  const { t } = useTranslation();
  return (
    <div id={id}>
      <Table<CatalogField>
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={fields}
        data-testid="field-picker"
        scroll={{ y: 360 }}
        rowSelection={{
          selectedRowKeys: value,
          onChange: (keys) => onChange?.(fields.map((f) => f.name).filter((n) => keys.includes(n))),
          getCheckboxProps: (f) => ({ 'aria-label': f.label, name: f.name }),
        }}
        onRow={(f) => ({
          onClick: (e) => {
            if (
              (e.target as HTMLElement).closest(
                '.ant-checkbox-wrapper, .ant-table-selection-column',
              )
            )
              return;
            onChange?.(
              value.includes(f.name)
                ? value.filter((n) => n !== f.name)
                : fields.map((x) => x.name).filter((n) => n === f.name || value.includes(n)),
            );
          },
          style: { cursor: 'pointer' },
        })}
        columns={[
          {
            title: t('sharing.form.label'),
            dataIndex: 'label',
            render: (label: string, f) => (
              <span>
                {label}{' '}
                <Typography.Text type="secondary" code>
                  {f.name}
                </Typography.Text>
                {f.name === identifier && (
                  <Tag color="geekblue" style={{ marginInlineStart: 6 }}>
                    {t('sharing.form.identifier')}
                  </Tag>
                )}
              </span>
            ),
          },
          {
            title: t('sharing.form.type'),
            dataIndex: 'type',
            width: 110,
            render: (v: string) => t(`sharing.fieldType.${v}`, { defaultValue: v }),
          },
          {
            title: t('sharing.form.sensitivity'),
            dataIndex: 'sensitivity',
            width: 120,
            render: (v: string) => <SensitivityTag value={v} />,
          },
          {
            title: t('sharing.form.masking'),
            dataIndex: 'masking',
            width: 120,
            render: (v: string | null) => <MaskTag rule={v} />,
          },
        ]}
      />
      <Typography.Text
        type="secondary"
        style={{ display: 'block', marginTop: 6 }}
        data-testid="fields-count"
      >
        {t('sharing.form.fieldsCount', { n: value.length, total: fields.length })}
      </Typography.Text>
    </div>
  );
}
