/**
 * The row filter of a request or an approval, as a form list: rows of (field, values), values
 * separated by commas or 、. Used inside a Form under the name `rowFilter`.
 */
import { Button, Form, Input, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export interface RowFilterRow {
  field?: string;
  values?: string;
}

/** The filled rows as the API takes them (field → values), or undefined when none is filled. */
export function rowFilterOf(
  rows: RowFilterRow[] | undefined,
): Record<string, string[]> | undefined {
  const filter: Record<string, string[]> = {};
  for (const r of rows ?? []) {
    const values = (r.values ?? '')
      .split(/[,，、]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (r.field && values.length) filter[r.field] = [...(filter[r.field] ?? []), ...values];
  }
  return Object.keys(filter).length ? filter : undefined;
}

export function RowFilterList({ options }: { options: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <Form.List name="rowFilter">
      {(items, { add, remove }) => (
        <>
          {items.map((item) => (
            <Space key={item.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
              <Form.Item name={[item.name, 'field']} style={{ marginBottom: 0 }}>
                <Select
                  style={{ width: 220 }}
                  placeholder={t('sharing.form.rowFilterField')}
                  aria-label={t('sharing.form.rowFilterField')}
                  options={options}
                />
              </Form.Item>
              <Form.Item name={[item.name, 'values']} style={{ marginBottom: 0 }}>
                <Input
                  style={{ width: 320 }}
                  placeholder={t('sharing.form.rowFilterValues')}
                  aria-label={t('sharing.form.rowFilterValues')}
                />
              </Form.Item>
              <MinusCircleOutlined
                onClick={() => remove(item.name)}
                aria-label={t('common.cancel')}
              />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
            {t('sharing.form.addRowFilter')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
