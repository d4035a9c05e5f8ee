import { CreateButton, List, type ListProps, TopToolbar } from "react-admin";
import { useCan } from "../hooks/useCan";

/**
 * A list whose Create button shows only to admins allowed to create: in the toolbar, and on the page
 * react-admin shows for an empty list (which otherwise offers its own Create button).
 */
export function GatedList({ createPermission, ...props }: ListProps & { createPermission: string }) {
  const { can } = useCan();
  const allowed = can(createPermission);
  return (
    <List
      actions={<TopToolbar>{allowed && <CreateButton />}</TopToolbar>}
      {...props}
      empty={allowed ? props.empty : false}
    />
  );
}
