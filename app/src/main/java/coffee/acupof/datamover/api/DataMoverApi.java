package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.ResourceKind;

/** Coordinates of the DataMover API and the labels every object the operator creates carries. */
public final class DataMoverApi {
  public static final String GROUP = "datamover.a-cup-of.coffee";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "DataMover";
  public static final String PLURAL = "datamovers";
  public static final ResourceKind<DataMover, DataMoverList> DATAMOVERS =
      new ResourceKind<>(GROUP, VERSION, PLURAL, KIND, DataMover.class, DataMoverList.class);
  public static final String RESTORE_KIND = "DataMoverRestore";
  public static final ResourceKind<DataMoverRestore, DataMoverRestoreList> RESTORES =
      new ResourceKind<>(GROUP, VERSION, "datamoverrestores", RESTORE_KIND, DataMoverRestore.class, DataMoverRestoreList.class);
  public static final String SCHEDULE_KIND = "DataMoverSchedule";
  public static final String SCHEDULE_PLURAL = "datamoverschedules";
  public static final ResourceKind<DataMoverSchedule, DataMoverScheduleList> SCHEDULES =
      new ResourceKind<>(GROUP, VERSION, SCHEDULE_PLURAL, SCHEDULE_KIND, DataMoverSchedule.class, DataMoverScheduleList.class);

  /** Value of the managed-by and created-by labels; the old operator's docs select on created-by. */
  public static final String OPERATOR_NAME = "datamover-operator";

  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_CREATED_BY = "app.kubernetes.io/created-by";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  /**
   * Name of the owning DataMover (a label value, hence the 63-character limit on DataMover names);
   * every kind's children carry {@code <group>/<kind in lower case>} (see {@code Ownership}).
   */
  public static final String LABEL_OWNER = GROUP + "/datamover";
  /** The old operator labelled its jobs {@code app=datamover-rclone}; kept so its docs' selectors work. */
  public static final String LABEL_APP = "app";
  public static final String LABEL_APP_VALUE = "datamover-rclone";

  private DataMoverApi() {}
}
