import type { ReactNode } from "react";
import { Icon, type IconName } from "./Icon";

export function Badge({ tone, icon, children }: { tone: string; icon?: IconName; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      {icon && <Icon name={icon} size={14} />}
      {children}
    </span>
  );
}
