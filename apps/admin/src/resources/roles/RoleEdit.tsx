import { Edit } from "react-admin";
import { RoleForm } from "./RoleForm";

export const RoleEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <RoleForm />
  </Edit>
);
