import WebhookIcon from "@mui/icons-material/Webhook";
import { WebhookEndpointCreate } from "./WebhookEndpointCreate";
import { WebhookEndpointEdit } from "./WebhookEndpointEdit";
import { WebhookEndpointList } from "./WebhookEndpointList";
import { WebhookEndpointShow } from "./WebhookEndpointShow";

export default {
  list: WebhookEndpointList,
  create: WebhookEndpointCreate,
  edit: WebhookEndpointEdit,
  show: WebhookEndpointShow,
  icon: WebhookIcon,
  recordRepresentation: "url",
  options: { label: "Webhooks" },
};
