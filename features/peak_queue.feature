# language: zh-CN
功能: 周一早高峰排队
  培训主管要求：人多的时候，受理员要盯着叫号屏，等候人数到了厅里规定的预警线，
  及时申请增开窗口（5.3.c）；再忙也不能省步骤，每一位客户的申请都要和证件逐项核对（3.2.a），
  错误信息不能进系统（3.1.c，一票否决）；每一单都要告诉客户结果并登记台账（3.1.e）。
  等久了的客户过来问，要耐心、如实地答复，不能哄、不能呛、不能随口答应插队或加急（3.2.c）。

  背景:
    假如 柜台场景为"peak_queue"

  场景大纲: 按规程应对高峰的受理员，任何随机变体下都得满分
    假如 随机种子为 <种子>
    当 模拟学员"expert"完成本次受理
    那么 得分为 100 分
    并且 结论为"合格"
    并且 条款"5.3.c"判为"符合"
    并且 高峰时段跟踪的客户都已办结离开

    例子: 节后、月初交费、雨天、两张表填错
      | 种子 |
      | 0    |
      | 1    |
      | 2    |
      | 5    |

  场景: 马虎的受理员：人一多就不核对，每一单都直接提交，填错的也进了系统
    假如 随机种子为 0
    当 模拟学员"careless"完成本次受理
    那么 条款"3.2.a"判为"违反"
    并且 条款"3.1.c"判为"违反"
    并且 条款"3.1.e"判为"遗漏"
    并且 其余条款全部判为"符合"
    并且 高峰时段未经核对就提交的申请共 3 份
    并且 本次一票否决的条款为"3.1.c"
    并且 结论为"不合格"

  场景: 只顾手上单子的受理员：排队到了预警线也不看，等着的客户问话也晾着
    假如 随机种子为 2
    当 模拟学员"paperwork_first"完成本次受理
    那么 条款"5.3.c"判为"违反"
    并且 条款"3.2.c"判为"违反"
    并且 其余条款全部判为"符合"
    并且 结论为"合格"

  场景: 态度生硬的受理员：对等了很久的客户说话带刺
    假如 随机种子为 1
    当 模拟学员"brusque"完成本次受理
    那么 条款"3.2.c"判为"违反"
    并且 扣分证据中引用了受理员的原话"急什么"
    并且 条款"3.1.e"判为"违反"
    并且 条款"3.2.a"判为"符合"
    并且 结论为"不合格"

  场景: 慌乱的受理员：哄等候的客户“前面就一两个人”
    假如 随机种子为 3
    当 模拟学员"panicky"完成本次受理
    那么 条款"3.2.c"判为"违反"
    并且 扣分证据中引用了受理员的原话"前面就一两个人"
    并且 条款"5.3.c"判为"符合"
    并且 条款"3.2.a"判为"符合"
    并且 结论为"合格"

  场景: 受理员按自己的操作记录评分：第一位客户核对了，第二位图快没核对
    假如 随机种子为 5
    当 受理员依次操作:
      | 时间 | 动作                 | 参数                      |
      | 0    | say                  | reply=landlord_greet_ok   |
      | 8    | check_system_status  |                           |
      | 13   | select_module        | module=new_connection     |
      | 18   | check_queue          |                           |
      | 23   | request_extra_window |                           |
      | 43   | receive_documents    |                           |
      | 53   | enter_customer_data  |                           |
      | 93   | verify_data          |                           |
      | 113  | submit_application   |                           |
      | 118  | print_form           |                           |
      | 123  | say                  | reply=owner_wait_ok       |
      | 131  | inform_customer      |                           |
      | 146  | say                  | reply=landlord_when_ok    |
      | 154  | record_result        |                           |
      | 169  | call_next_customer   |                           |
      | 182  | say                  | reply=upgrader_wait_ok    |
      | 190  | select_module        | module=name_transfer      |
      | 195  | receive_documents    |                           |
      | 205  | enter_customer_data  |                           |
      | 265  | submit_application   |                           |
      | 270  | print_form           |                           |
      | 276  | inform_customer      |                           |
      | 291  | record_result        |                           |
      | 306  | call_next_customer   |                           |
      | 311  | say                  | reply=upgrader_greet_ok   |
      | 319  | select_module        | module=capacity_change    |
      | 324  | receive_documents    |                           |
      | 334  | enter_customer_data  |                           |
      | 374  | verify_data          |                           |
      | 394  | correct_data         |                           |
      | 409  | submit_application   |                           |
      | 414  | print_form           |                           |
      | 420  | inform_customer      |                           |
      | 435  | record_result        |                           |
      | 455  | finish               |                           |
    那么 条款"3.2.a"判为"违反"
    并且 第 265 秒提交的申请被判为未经核对
    并且 条款"3.1.c"判为"符合"
    并且 其余条款全部判为"符合"
    并且 高峰时段跟踪的客户都已办结离开
    并且 结论为"合格"
