import { Edit } from "react-admin";
import { MetricForm } from "./MetricForm";
import { transformMetric } from "./transform";

export const MetricEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list" transform={transformMetric}>
    <MetricForm />
  </Edit>
);
