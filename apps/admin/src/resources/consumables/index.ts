import RedeemIcon from "@mui/icons-material/Redeem";
import { ConsumableCreate } from "./ConsumableCreate";
import { ConsumableEdit } from "./ConsumableEdit";
import { ConsumableList } from "./ConsumableList";

export default {
  list: ConsumableList,
  create: ConsumableCreate,
  edit: ConsumableEdit,
  icon: RedeemIcon,
  recordRepresentation: (c: { name: string; type: string; value: number }) =>
    `${c.name} (${c.type} ${c.value})`,
  options: { label: "Consumables" },
};
