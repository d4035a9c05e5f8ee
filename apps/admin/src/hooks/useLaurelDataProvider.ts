import { useDataProvider } from "react-admin";
import type { LaurelDataProvider } from "../providers/dataProvider";

export const useLaurelDataProvider = () => useDataProvider<LaurelDataProvider>();
