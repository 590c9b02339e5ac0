import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AssignableUser } from '../api/types';
import { useAssignableUsers } from '../services/directory';

interface Props {
  /** The chosen user's id; Form.Item injects value, onChange and id. */
  value?: number | null;
  onChange?: (id: number | undefined) => void;
  /** Called with the whole user when one is chosen (or undefined when cleared), for callers that show the name. */
  onPick?: (user: AssignableUser | undefined) => void;
  /** Users known before any search (a remembered choice, say), so their names show at once. */
  known?: readonly AssignableUser[];
  /** Users not to offer (the current account manager, when reassigning). */
  exclude?: readonly number[];
  allowClear?: boolean;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
}

// Typing is searched after a short pause rather than on every key.
const SEARCH_DELAY_MS = 250;

interface Person {
  displayName: string;
  username: string;
  /** Where they sit, "总行 / 城东支行". */
  place: string;
  roleNames: readonly string[];
}

/** Who someone is, for a reader choosing among people: name, username, department and roles. */
export function PersonSummary({ displayName, username, place, roleNames }: Person) {
  return (
    <Space direction="vertical" size={0} style={{ lineHeight: 1.35 }}>
      <span>
        {displayName} <Typography.Text type="secondary">({username})</Typography.Text>
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[place, roleNames.join('、')].filter(Boolean).join(' · ')}
      </Typography.Text>
    </Space>
  );
}

function UserSummary({ user }: { user: AssignableUser }) {
  return (
    <PersonSummary
      displayName={user.display_name}
      username={user.username}
      place={user.department.path_names || user.department.name}
      roleNames={user.roles.map((r) => r.name)}
    />
  );
}

/**
 * A searchable choice of the users one may hand customers to (GET /api/v1/users/assignable), by
 * name rather than number.
 */
export default function UserPicker({ value, onChange, onPick, known, exclude, allowClear, placeholder, disabled, id, style }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  // Every user seen so far, so a choice keeps its name when a later search no longer lists it.
  const [seen, setSeen] = useState<Map<number, AssignableUser>>(() => new Map((known ?? []).map((u) => [u.id, u])));
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(typed), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [typed]);
  // Nothing is asked before the picker is opened, unless a chosen id still needs its name.
  const needsName = typeof value === 'number' && !seen.has(value);
  const search = useAssignableUsers(q, open || needsName);
  const found = useMemo(() => search.data?.items ?? [], [search.data]);

  useEffect(() => {
    const more = [...(known ?? []), ...found].filter((u) => !seen.has(u.id));
    if (more.length === 0) return;
    setSeen((prev) => {
      const next = new Map(prev);
      for (const u of more) next.set(u.id, u);
      return next;
    });
  }, [found, known, seen]);

  const excluded = new Set(exclude ?? []);
  const listed = found.filter((u) => !excluded.has(u.id));
  const chosen = typeof value === 'number' ? seen.get(value) : undefined;
  const users = chosen && !listed.some((u) => u.id === chosen.id) ? [chosen, ...listed] : listed;

  return (
    <Select<number>
      id={id}
      style={style}
      value={value ?? undefined}
      showSearch
      allowClear={allowClear}
      disabled={disabled}
      placeholder={placeholder ?? t('userPicker.placeholder')}
      filterOption={false}
      onSearch={setTyped}
      onOpenChange={setOpen}
      loading={search.isFetching}
      notFoundContent={search.isFetching ? t('common.loading') : t('userPicker.none')}
      options={users.map((u) => ({ value: u.id, label: u.display_name, user: u }))}
      optionRender={(option) => {
        const user = (option.data as { user?: AssignableUser }).user;
        return user ? <UserSummary user={user} /> : option.label;
      }}
      onChange={(next) => {
        const picked = typeof next === 'number' ? seen.get(next) : undefined;
        onChange?.(typeof next === 'number' ? next : undefined);
        onPick?.(picked);
        setTyped('');
      }}
    />
  );
}
