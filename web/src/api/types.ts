// Friendly names for the generated OpenAPI types (src/api/schema.d.ts, never edited by hand).
import type { components, operations } from './schema';

type S = components['schemas'];
export type Session = S['Session'];
export type Principal = S['Principal'];
export type User = S['User'];
export type Department = S['Department'];
export type Role = S['Role'];
export type DataScope = S['DataScope'];
export type AuditEvent = S['AuditEvent'];
export type Customer = S['Customer'];
export type Relation = S['Relation'];
export type FollowUp = S['FollowUp'];
export type TimelineItem = S['TimelineItem'];
export type EntityField = S['Field'];
export type Entity = S['Entity'];
export type FieldOption = S['FieldOption'];
export type LocalizedName = EntityField['label'];
export type Problem = S['Problem'];
export type PendingChange = S['PendingChange'];
export type AssignableUser = S['AssignableUser'];
export type AssignableUserList = operations['listAssignableUsers']['responses'][200]['content']['application/json'];
export type AuditActionInfo = S['AuditActionInfo'];
export type AuditActionList = operations['listAuditActions']['responses'][200]['content']['application/json'];
export type CustomerListItem = S['CustomerListItem'];
export type CustomerPage = S['CustomerPage'];
export type CustomerDeletion = S['CustomerDeletion'];
export type TimelineChange = S['TimelineChange'];
export type FieldPatch = S['FieldPatch'];
export type Workbench = S['Workbench'];
/** What a 409 on a duplicate ID number or credit code adds to the problem. */
export type DuplicateExtensions = Pick<Problem, 'existing_id' | 'existing_name' | 'existing_owner_name' | 'may_open'>;
export type PermissionCatalogue = operations['listPermissions']['responses'][200]['content']['application/json'];

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}
