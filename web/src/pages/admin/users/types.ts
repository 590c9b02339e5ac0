export interface UserFilters {
  q?: string;
  department_id?: number;
  status?: 'active' | 'disabled';
}

export interface UserFormValues {
  username: string;
  display_name: string;
  password?: string;
  department_id: number;
  supervisor_id?: number | null;
  roles: string[];
  must_change_password?: boolean;
}
