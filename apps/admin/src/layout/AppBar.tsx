import LogoutAllIcon from "@mui/icons-material/PhonelinkErase";
import { ListItemIcon, ListItemText, MenuItem } from "@mui/material";
import { AppBar, Logout, useLogout, useNotify, UserMenu, useUserMenu } from "react-admin";
import { graphqlRequest } from "../providers/graphql";

/** Ends every session of the signed-in admin (each device's token), then signs out here. */
const SignOutEverywhere = () => {
  const userMenu = useUserMenu();
  const logout = useLogout();
  const notify = useNotify();
  const signOutEverywhere = async () => {
    userMenu?.onClose();
    try {
      await graphqlRequest<{ signOutEverywhere: boolean }>(`mutation { signOutEverywhere }`);
    } catch (error) {
      notify(error instanceof Error ? error.message : "Could not sign out everywhere", { type: "error" });
      return;
    }
    await logout();
  };
  return (
    <MenuItem onClick={() => void signOutEverywhere()}>
      <ListItemIcon>
        <LogoutAllIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>Sign out everywhere</ListItemText>
    </MenuItem>
  );
};

export const LaurelAppBar = () => (
  <AppBar
    userMenu={
      <UserMenu>
        <SignOutEverywhere />
        <Logout />
      </UserMenu>
    }
  />
);
