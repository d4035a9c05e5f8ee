import BusinessIcon from "@mui/icons-material/Business";
import { Menu } from "react-admin";
import { useCan } from "../hooks/useCan";

/** The resources the admin may use, and "My organization" for organization admins. */
export const LaurelMenu = () => {
  const { can, isGlobalAdmin, organizationId } = useCan();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItems />
      {!isGlobalAdmin && organizationId && can("manage:organization") && (
        <Menu.Item
          to={`/Organization/${organizationId}`}
          primaryText="My organization"
          leftIcon={<BusinessIcon />}
        />
      )}
    </Menu>
  );
};
