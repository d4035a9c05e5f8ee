import { Edit, ShowButton, TopToolbar } from "react-admin";
import type { WebhookEndpoint } from "../../providers/webhooks";
import { WebhookEndpointForm } from "./WebhookEndpointForm";

/**
 * Only a changed `enabled` is sent: sending `false` again for an endpoint the dispatcher disabled would
 * record an admin as the reason.
 */
const transform = (data: WebhookEndpoint, options?: { previousData: WebhookEndpoint }) => {
  if (options?.previousData.enabled !== data.enabled) return data;
  const { enabled: _unchanged, ...rest } = data;
  return rest;
};

export const WebhookEndpointEdit = () => (
  <Edit
    mutationMode="pessimistic"
    redirect="show"
    transform={transform}
    actions={
      <TopToolbar>
        <ShowButton />
      </TopToolbar>
    }
  >
    <WebhookEndpointForm />
  </Edit>
);
