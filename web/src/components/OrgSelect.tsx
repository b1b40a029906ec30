/**
 * Choose an organisation from the tree; works as a Form.Item child (forwards id, value, onChange).
 */
import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { useOrgs } from '../api/hooks';
import { buildOrgTree, type OrgNode } from './orgTree';

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: TreeOption[];
}

export interface OrgSelectProps {
  id?: string;
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Organisations that may not be chosen (e.g. an organisation's own subtree as its parent). */
  exclude?: Set<string>;
  style?: React.CSSProperties;
  'aria-label'?: string;
}

export function OrgSelect({
  id,
  value,
  onChange,
  placeholder,
  allowClear = true,
  exclude,
  style,
  ...rest
}: OrgSelectProps) {
  const orgs = useOrgs();
  const treeData = useMemo(() => {
    const toOption = (n: OrgNode): TreeOption => ({
      value: n.id,
      title: n.name,
      disabled: exclude?.has(n.id),
      children: n.children?.map(toOption),
    });
    return buildOrgTree(orgs.data ?? []).map(toOption);
  }, [orgs.data, exclude]);
  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      loading={orgs.isPending}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      style={{ minWidth: 220, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
