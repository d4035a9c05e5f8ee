import { Create } from "react-admin";
import { UserForm } from "./UserForm";

const withoutEmptyPassword = (data: Record<string, unknown>) => ({
  ...data,
  password: data.password || undefined,
});

export const UserCreate = () => (
  <Create redirect="show" transform={withoutEmptyPassword}>
    <UserForm creating />
  </Create>
);
export { withoutEmptyPassword };
