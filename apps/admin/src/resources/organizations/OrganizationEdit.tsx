import { Edit } from "react-admin";
import { useCan } from "../../hooks/useCan";
import { OrganizationForm } from "./OrganizationForm";

/** Global Administrators edit any organization; an organization admin reaches their own from "My organization". */
export const OrganizationEdit = () => {
  const { isGlobalAdmin } = useCan();
  return (
    <Edit mutationMode="pessimistic" redirect={isGlobalAdmin ? "list" : false}>
      <OrganizationForm withDelete={isGlobalAdmin} />
    </Edit>
  );
};
