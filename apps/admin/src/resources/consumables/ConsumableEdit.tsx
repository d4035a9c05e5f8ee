import { Edit } from "react-admin";
import { ConsumableForm } from "./ConsumableForm";

export const ConsumableEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <ConsumableForm />
  </Edit>
);
