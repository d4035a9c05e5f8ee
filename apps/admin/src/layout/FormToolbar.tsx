import { DeleteButton, SaveButton, Toolbar, useRecordContext } from "react-admin";
import { useCan } from "../hooks/useCan";

/** Save, and Delete only for an admin who may delete this row (platform rows: Global Administrators). */
export const FormToolbar = ({ deletePermission }: { deletePermission?: string }) => {
  const record = useRecordContext<{ id: string; organizationId?: string | null }>();
  const { canWriteRow, can } = useCan();
  const mayDelete =
    !!record?.id &&
    !!deletePermission &&
    (record.organizationId === undefined ? can(deletePermission) : canWriteRow(deletePermission, record));
  return (
    <Toolbar sx={{ justifyContent: "space-between" }}>
      <SaveButton />
      {mayDelete && <DeleteButton mutationMode="pessimistic" />}
    </Toolbar>
  );
};
