export interface ChangePasswordInput {
  current_password: string;
  new_password: string;
}
export interface ChangePasswordForm extends ChangePasswordInput {
  confirm: string;
}
