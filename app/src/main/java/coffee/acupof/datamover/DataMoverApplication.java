package coffee.acupof.datamover;

import coffee.acupof.datamover.controller.LeadershipLossHandler;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/** The DataMover operator. */
@SpringBootApplication
public class DataMoverApplication {

  public static void main(String[] args) {
    SpringApplication.run(DataMoverApplication.class, args);
  }

  /** Losing the lease ends the process with a non-zero code; Kubernetes restarts it. */
  @Bean
  @ConditionalOnMissingBean
  LeadershipLossHandler exitOnLeadershipLoss(ApplicationContext context) {
    return () -> System.exit(SpringApplication.exit(context, () -> 1));
  }
}
