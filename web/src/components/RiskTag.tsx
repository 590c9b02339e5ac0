import { Tag } from 'antd';

const COLORS: Record<string, string> = { low: 'green', medium: 'orange', high: 'red' };

export default function RiskTag({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined || value === '') return null;
  return <Tag color={COLORS[String(value)] ?? 'default'}>{label}</Tag>;
}
