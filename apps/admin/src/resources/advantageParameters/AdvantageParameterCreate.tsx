import { Create, Edit } from "react-admin";
import { AdvantageParameterForm } from "./AdvantageParameterForm";

export const AdvantageParameterCreate = () => (
  <Create redirect="list">
    <AdvantageParameterForm creating />
  </Create>
);

export const AdvantageParameterEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <AdvantageParameterForm />
  </Edit>
);
