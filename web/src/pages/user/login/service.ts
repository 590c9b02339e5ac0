import { http } from '../../../api/request';
import type { Session } from '../../../api/types';
import type { LoginInput } from './types';

export function login(input: LoginInput): Promise<Session> {
  return http.post<Session>('/api/v1/auth/login', input, { skipAuthRedirect: true });
}
