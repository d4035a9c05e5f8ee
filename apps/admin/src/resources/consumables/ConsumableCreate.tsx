import { Create } from "react-admin";
import { ConsumableForm } from "./ConsumableForm";

export const ConsumableCreate = () => (
  <Create redirect="list">
    <ConsumableForm />
  </Create>
);
