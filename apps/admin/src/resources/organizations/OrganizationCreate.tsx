import { Create } from "react-admin";
import { OrganizationForm } from "./OrganizationForm";

export const OrganizationCreate = () => (
  <Create redirect="list">
    <OrganizationForm />
  </Create>
);
