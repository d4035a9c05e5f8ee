import { useState } from "react";
import { Create, useRedirect } from "react-admin";
import type { WebhookEndpoint } from "../../providers/webhooks";
import { SecretDialog } from "./SecretDialog";
import { WebhookEndpointForm } from "./WebhookEndpointForm";

/** Creates an endpoint, then shows its signing secret once; closing the dialog opens the endpoint. */
export const WebhookEndpointCreate = () => {
  const redirect = useRedirect();
  const [created, setCreated] = useState<WebhookEndpoint | null>(null);
  return (
    <>
      <Create mutationOptions={{ onSuccess: (endpoint: WebhookEndpoint) => setCreated(endpoint) }}>
        <WebhookEndpointForm creating />
      </Create>
      <SecretDialog
        title="Webhook endpoint created"
        secret={created?.secret ?? null}
        onClose={() => created && redirect("show", "WebhookEndpoint", created.id)}
      />
    </>
  );
};
