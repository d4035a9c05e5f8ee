import BusinessIcon from "@mui/icons-material/Business";
import { OrganizationCreate } from "./OrganizationCreate";
import { OrganizationEdit } from "./OrganizationEdit";
import { OrganizationList } from "./OrganizationList";

export default {
  list: OrganizationList,
  create: OrganizationCreate,
  edit: OrganizationEdit,
  icon: BusinessIcon,
  recordRepresentation: "name",
  options: { label: "Organizations" },
};
