import { Edit } from "react-admin";
import { withoutEmptyPassword } from "./UserCreate";
import { UserForm } from "./UserForm";

export const UserEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show" transform={withoutEmptyPassword}>
    <UserForm />
  </Edit>
);
