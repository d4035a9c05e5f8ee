import { Edit, ShowButton, TopToolbar } from "react-admin";
import { WebhookEndpointForm } from "./WebhookEndpointForm";

export const WebhookEndpointEdit = () => (
  <Edit
    mutationMode="pessimistic"
    redirect="show"
    actions={
      <TopToolbar>
        <ShowButton />
      </TopToolbar>
    }
  >
    <WebhookEndpointForm />
  </Edit>
);
