export interface LoginInput {
  username: string;
  password: string;
}
