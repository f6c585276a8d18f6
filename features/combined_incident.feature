# language: zh-CN
功能: 复合事件——柜台前客户投诉，值班电话报险情，打印机又卡了纸
  培训主管要求：几件事撞在一起，先顾安全，再顾设备，再顾服务。
  值班电话响了要及时接（本厅规定）；对方一报险情，第一句答复就是安全提示，而且要快（3.3.c，一票否决）；
  登记前向值班长报告、停机都不算耽误，但从电话响起到安全提示说出口也要算时间（3.3.c）。
  对方问人多拦不住怎么办，回答也得是安全的办法（3.3.c，一票否决）。
  抢修工单派出之前，卡纸先放着、投诉记录也先放着（3.3.c，一票否决）；
  抢修工单走故障报修模块，派单前复述核对地点，按时派出（3.1.b、3.2.a、3.1.d），
  险情报告值班长、启动应急预案是本厅应急预案的规定；
  卡纸要停机、先查原因再排除、打测试页、记故障记录（5.3.b、5.1.c、4.3.e）；
  投诉的客户要冷静接待，客户说要投诉你了还回嘴就是争吵（3.3.b，一票否决），不把人激怒（3.3.b），
  如实解答、不乱许诺（3.2.c），赔不赔不能自己拍板（3.3.d，一票否决）；
  投诉详细记录并报告值班长（3.3.b）；两位客户都要告知结果，案子登记台账（3.1.e）。
  派单后还要致电抢修指挥中心（3.3.c）。客户会顶回来：对来电的人说“这种事常有”，对方追问“出了事谁负责”；
  说“不好说”，对方再问一遍，再搪塞就要找领导；对投诉的客户推诿、说“号码在墙上您随便打”“一分钱都不赔”，
  客户扬言投诉，说“不是我说了算”，客户要找领导（扣分）。

  背景:
    假如 柜台场景为"combined_incident"

  场景大纲: 按规程处置的受理员，三种组合都得满分，两位客户的事都办完
    假如 随机种子为 <种子>
    当 模拟学员"expert"完成本次受理
    那么 得分为 100 分
    并且 结论为"合格"
    并且 客户报告险情后，受理员的第一步是安全提示
    并且 抢修工单派出之后，受理员才去处理卡纸
    并且 抢修工单派出之后，受理员才回头写投诉记录
    并且 受理员派单后致电了抢修指挥中心
    并且 报险情的来电客户和柜台前投诉的客户，两边的事都办完了

    例子: 面馆冰柜、直播断电、锦鲤死亡
      | 种子 |
      | 1    |
      | 0    |
      | 5    |

  场景: 先填单的受理员：埋头写投诉记录，电话响了半分钟才接，接了又先修打印机再派抢修工单
    假如 随机种子为 0
    当 模拟学员"paperwork_first"完成本次受理
    那么 本厅值班电话的规定判为"违反"
    并且 条款"3.3.c"判为"违反"
    并且 条款"3.3.b"判为"违反"
    并且 其余适用的条款全部判为"符合"
    并且 本次受理因条款"3.3.c"被一票否决

  场景: 慌乱的受理员：安慰来电的人“这种事常有”，卡纸不停机、不查原因就硬拽，还跟投诉的客户拍板说肯定赔
    假如 随机种子为 2
    当 模拟学员"panicky"完成本次受理
    那么 条款"3.3.c"判为"违反"
    并且 条款"3.3.d"判为"违反"
    并且 条款"5.3.b"判为"遗漏"
    并且 条款"5.1.c"判为"遗漏"
    并且 条款"3.2.c"判为"违反"
    并且 扣分证据中引用了受理员的原话"这种事常有"
    并且 扣分证据中引用了受理员的原话"这个钱肯定给您赔"
    并且 本次受理因条款"3.3.c、3.3.d"被一票否决

  场景: 不耐烦的受理员：处处顶撞投诉的客户，客户说要投诉他还回嘴，把人激得更火
    假如 随机种子为 1
    当 模拟学员"brusque"完成本次受理
    那么 条款"3.3.b"判为"违反"
    并且 条款"3.2.c"判为"违反"
    并且 其余适用的条款全部判为"符合"
    并且 扣分证据中引用了受理员的原话"嚷什么"
    并且 扣分证据中引用了受理员的原话"我又没说错什么"
    并且 投诉的客户被激得更加气愤
    并且 本次受理因条款"3.3.b"被一票否决

  场景: 马虎的受理员：投诉不记录，故障不记录，台账也不登
    假如 随机种子为 5
    当 模拟学员"careless"完成本次受理
    那么 条款"3.3.b"判为"遗漏"
    并且 条款"4.3.e"判为"遗漏"
    并且 条款"3.1.e"判为"遗漏"
    并且 条款"3.2.a"判为"违反"
    并且 其余适用的条款全部判为"符合"
    并且 本次受理没有一票否决的条款
    并且 结论为"不合格"

  场景: 独断的受理员：险情和投诉都不报告值班长，还跟两边都打包票
    假如 随机种子为 11
    当 模拟学员"solo"完成本次受理
    那么 本厅应急预案的规定判为"遗漏"
    并且 条款"3.3.b"判为"遗漏"
    并且 条款"3.2.c"判为"违反"
    并且 其余适用的条款全部判为"符合"
    并且 本次受理没有一票否决的条款
    并且 结论为"不合格"

  场景: 受理员按自己的操作记录评分：先派抢修工单，再处理卡纸，最后办投诉，得满分
    假如 随机种子为 1
    当 受理员依次操作:
      | 时间 | 动作                | 参数                 |
      | 0    | say                 | reply=outburst_calm  |
      | 5    | check_system_status |                      |
      | 17   | answer_phone        |                      |
      | 20   | say                 | reply=report_safety  |
      | 28   | say                 | reply=when_commit    |
      | 36   | say                 | reply=guard_how      |
      | 44   | say                 | reply=demand_truth   |
      | 52   | stop_operation      |                      |
      | 54   | select_module       | module=fault_repair  |
      | 59   | report_supervisor   |                      |
      | 79   | start_contingency   |                      |
      | 89   | say                 | reply=jump_explain   |
      | 97   | enter_customer_data |                      |
      | 137  | say                 | reply=wait_honest    |
      | 145  | verify_data         |                      |
      | 165  | submit_application  |                      |
      | 170  | inform_customer     |                      |
      | 185  | call_dispatch       |                      |
      | 225  | record_result       |                      |
      | 240  | inspect_printer     |                      |
      | 255  | clear_paper_jam     |                      |
      | 285  | test_print          |                      |
      | 295  | log_fault           |                      |
      | 315  | serve               | customer=complainant |
      | 318  | select_module       | module=complaint     |
      | 323  | record_complaint    |                      |
      | 363  | report_supervisor   |                      |
      | 383  | inform_customer     |                      |
      | 398  | record_result       |                      |
      | 413  | finish              |                      |
    那么 得分为 100 分
    并且 抢修工单派出之后，受理员才去处理卡纸
    并且 报险情的来电客户和柜台前投诉的客户，两边的事都办完了

  场景: 受理员按自己的操作记录评分：抢修工单还没派，先回头写投诉记录
    假如 随机种子为 2
    当 受理员依次操作:
      | 时间 | 动作                | 参数                 |
      | 0    | say                 | reply=outburst_calm  |
      | 5    | check_system_status |                      |
      | 13   | answer_phone        |                      |
      | 16   | say                 | reply=report_safety  |
      | 24   | say                 | reply=when_commit    |
      | 32   | say                 | reply=guard_how      |
      | 40   | say                 | reply=demand_truth   |
      | 48   | stop_operation      |                      |
      | 50   | select_module       | module=fault_repair  |
      | 55   | report_supervisor   |                      |
      | 75   | start_contingency   |                      |
      | 85   | say                 | reply=jump_explain   |
      | 93   | serve               | customer=complainant |
      | 96   | select_module       | module=complaint     |
      | 101  | record_complaint    |                      |
      | 141  | say                 | reply=wait_honest    |
      | 149  | serve               | customer=caller      |
      | 152  | enter_customer_data |                      |
      | 192  | verify_data         |                      |
      | 212  | submit_application  |                      |
      | 217  | inform_customer     |                      |
      | 232  | call_dispatch       |                      |
      | 272  | record_result       |                      |
      | 287  | inspect_printer     |                      |
      | 302  | clear_paper_jam     |                      |
      | 332  | test_print          |                      |
      | 342  | log_fault           |                      |
      | 362  | serve               | customer=complainant |
      | 365  | report_supervisor   |                      |
      | 385  | inform_customer     |                      |
      | 400  | record_result       |                      |
      | 415  | finish              |                      |
    那么 条款"3.3.c"判为"违反"
    并且 其余条款凡是遇到的都判为"符合"
    并且 本次受理因条款"3.3.c"被一票否决

  场景: 受理员按自己的操作记录评分：投诉的客户问赔不赔，受理员拍胸脯说“包在我身上”
    假如 随机种子为 5
    当 受理员依次操作:
      | 时间 | 动作                | 参数                  |
      | 0    | say                 | reply=outburst_calm   |
      | 5    | check_system_status |                       |
      | 14   | answer_phone        |                       |
      | 17   | say                 | reply=report_safety   |
      | 25   | say                 | reply=when_commit     |
      | 33   | say                 | reply=guard_how       |
      | 41   | say                 | reply=demand_overstep |
      | 49   | stop_operation      |                       |
      | 51   | select_module       | module=fault_repair   |
      | 56   | report_supervisor   |                       |
      | 76   | start_contingency   |                       |
      | 86   | say                 | reply=jump_explain    |
      | 94   | enter_customer_data |                       |
      | 134  | say                 | reply=wait_honest     |
      | 142  | verify_data         |                       |
      | 162  | submit_application  |                       |
      | 167  | inform_customer     |                       |
      | 182  | call_dispatch       |                       |
      | 222  | record_result       |                       |
      | 237  | inspect_printer     |                       |
      | 252  | clear_paper_jam     |                       |
      | 282  | test_print          |                       |
      | 292  | log_fault           |                       |
      | 312  | serve               | customer=complainant  |
      | 315  | select_module       | module=complaint      |
      | 320  | record_complaint    |                       |
      | 360  | report_supervisor   |                       |
      | 380  | inform_customer     |                       |
      | 395  | record_result       |                       |
      | 410  | finish              |                       |
    那么 条款"3.3.d"判为"违反"
    并且 条款"3.2.c"判为"违反"
    并且 其余条款凡是遇到的都判为"符合"
    并且 扣分证据中引用了受理员的原话"包在我身上"
    并且 本次受理因条款"3.3.d"被一票否决
