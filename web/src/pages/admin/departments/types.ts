export interface DepartmentInput {
  name: string;
  parent_id?: number | null;
}
