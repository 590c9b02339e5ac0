import { http } from '../../../api/request';
import type { ChangePasswordInput } from './types';

export function changePassword(input: ChangePasswordInput): Promise<void> {
  return http.post<void>('/api/v1/auth/password', input);
}
