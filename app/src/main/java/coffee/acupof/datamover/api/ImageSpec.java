package coffee.acupof.datamover.api;

/** The mover image of one DataMover, as the old operator's {@code spec.image}. */
public record ImageSpec(String repository, String tag, String pullPolicy) {

  /** {@code repository:tag}, or the repository alone when no tag is given. */
  public String reference() {
    return tag == null || tag.isBlank() ? repository : repository + ":" + tag;
  }
}
