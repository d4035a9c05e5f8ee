import { Create } from "react-admin";
import { MetricForm } from "./MetricForm";
import { transformMetric } from "./transform";

export const MetricCreate = () => (
  <Create redirect="list" transform={transformMetric}>
    <MetricForm creating />
  </Create>
);
