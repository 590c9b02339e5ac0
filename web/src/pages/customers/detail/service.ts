import { http } from '../../../api/request';
import type { Customer, FollowUp, Page, Relation, TimelineItem } from '../../../api/types';
import type { FollowUpInput, RelationInput } from './types';

const base = (id: string) => `/api/v1/customers/${encodeURIComponent(id)}`;

export const getCustomer = (id: string) => http.get<Customer>(base(id));
export const unmask = (id: string, fields: string[]) => http.post<Record<string, unknown>>(`${base(id)}/unmask`, { fields });
export const reassign = (id: string, ownerId: number) => http.post<void>(`${base(id)}/reassign`, { owner_id: ownerId });
export const listRelations = (id: string) => http.get<{ items: Relation[] }>(`${base(id)}/relations`);
export const addRelation = (id: string, input: RelationInput) => http.post<Relation>(`${base(id)}/relations`, input);
export const removeRelation = (id: string, relationId: number) => http.del<void>(`${base(id)}/relations/${relationId}`);
export const listFollowUps = (id: string) => http.get<{ items: FollowUp[] }>(`${base(id)}/followups`);
export const addFollowUp = (id: string, input: FollowUpInput) => http.post<FollowUp>(`${base(id)}/followups`, input);
export const timeline = (id: string, cursor?: string) => http.get<Page<TimelineItem>>(`${base(id)}/timeline`, { limit: 50, cursor });
export const searchCustomers = (q: string) => http.get<Page<Customer>>('/api/v1/customers', { q, limit: 10 });
